// Worker thread entry: scans the batches of files the main thread sends and posts the results back.
// Kept tiny so a worker starts in a few milliseconds.
import { parentPort } from 'node:worker_threads';
import { scanFile, type EnvFileRule, type FileScanOptions, type FileScanResult } from './fileScan';

export interface WorkerRequest {
  /** Index of the batch's first file among the scan's jobs; the response carries it back. */
  first: number;
  files: Array<{ path: string; envRule?: EnvFileRule }>;
  options: FileScanOptions;
}

export interface WorkerResponse {
  first: number;
  results: FileScanResult[];
}

parentPort?.on('message', (request: WorkerRequest) => {
  const results: FileScanResult[] = [];
  for (const file of request.files) results.push(scanFile(file.path, request.options, file.envRule));
  parentPort!.postMessage({ first: request.first, results } satisfies WorkerResponse);
});
