// Renders media/icon.svg to the 128×128 media/icon.png the Marketplace wants, with Debian's Chromium.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs } from './vscode-server.mjs';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<body style="margin:0;background:transparent">${readFileSync('media/icon.svg', 'utf8')}</body>`);
await page.screenshot({ path: 'media/icon.png', omitBackground: true });
await browser.close();
