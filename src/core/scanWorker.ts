// Worker thread entry: scans the batches of files the main thread sends and posts the results back.
// Kept tiny so a worker starts in a few milliseconds.
import { parentPort } from 'node:worker_threads';
import { accountFile, scanFile, type EnvFileRule, type FileScanOptions, type FileScanResult } from './fileScan';

export interface WorkerRequest {
  /** Index of the batch's first file among the scan's jobs; the response carries it back. */
  first: number;
  /** `noNeedle`: git grep found none of the scan's needles in it, so it is accounted for, not read (accountFile). */
  files: Array<{ path: string; envRule?: EnvFileRule; noNeedle?: boolean }>;
  options: FileScanOptions;
}

export interface WorkerResponse {
  first: number;
  /** Files of the batch scanned (all of them: a worker does not stop mid-batch). */
  count: number;
  /** Bytes read in the batch. */
  bytes: number;
  /** Only the files with findings or skipped, by index in the batch: most files have neither, and sending a result
   * per file would cost a structured clone and a garbage-collected object per file. */
  notable: Array<{ index: number; result: FileScanResult }>;
}

parentPort?.on('message', (request: WorkerRequest) => {
  const response: WorkerResponse = { first: request.first, count: request.files.length, bytes: 0, notable: [] };
  request.files.forEach((file, index) => {
    const result = file.noNeedle ? accountFile(file.path, request.options, file.envRule) : scanFile(file.path, request.options, file.envRule);
    response.bytes += result.bytes;
    if (result.findings.length > 0 || result.skipped) response.notable.push({ index, result });
  });
  parentPort!.postMessage(response);
});
