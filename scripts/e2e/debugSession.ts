// Opens a harness session and keeps it up for manual poking: prints the URL, takes a screenshot of
// each step given on the command line (palette commands), then waits for Ctrl-C.
// Usage: node --import tsx scripts/e2e/debugSession.ts [file-to-open] ["Palette command" ...]
import { Session } from '../../test/e2e/harness';

async function main(): Promise<void> {
  const [file, ...commands] = process.argv.slice(2);
  const s = await Session.start({ name: 'debug', trust: process.env.TRUST === '1' });
  console.log(`workspace ${s.workspace}; page ${s.page.url()}`);
  try {
    if (file) await s.openFile(file);
    for (const c of commands) {
      await s.command(c);
      await s.page.waitForTimeout(1500);
      console.log(c, '->', await s.screenshot(c.replace(/\W+/g, '-')));
    }
    if (process.env.EVAL) console.log(await s.page.evaluate(process.env.EVAL));
    console.log(JSON.stringify(await s.editorLines()));
  } finally {
    await s.close();
  }
}
void main();
