// The console's end-to-end run: Debian's Chromium (no browser download), against a discs the Java
// test (ConsoleBrowserTest) started and names in DISCS_URL.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: process.env.CONSOLE_TEST_OUTPUT ?? 'test-results',
  timeout: 240_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.DISCS_URL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--disable-dev-shm-usage'],
    },
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
  },
});
