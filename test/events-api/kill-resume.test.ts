import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ALL_TYPES, ids, withFake } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/consumer.ts', import.meta.url));
const N = 1_500;

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });
}

it('resumes from FileCursorStore after SIGKILL: every event at least once, in order, none skipped, at most the in-flight one repeated', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'workos-kill-'));
  const out = path.join(dir, 'out.txt');
  try {
    await withFake(
      N,
      async (api) => {
        const env = {
          ...process.env,
          FAKE_URL: api.url,
          FAKE_KEY: api.apiKey,
          CURSOR_FILE: path.join(dir, 'cursor'),
          OUT_FILE: out,
          EVENT_TYPES: ALL_TYPES.join(','),
        };
        const runStarts: number[] = [];
        let kills = 0;
        for (let run = 0; run < 10; run++) {
          const before = (await lines(out)).length;
          runStarts.push(before);
          const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr?.on('data', (d: Buffer) => {
            stderr += d.toString();
          });
          const done = exited(child);
          if (kills < 3) {
            // Kill once it has processed a few hundred more events (mid-page, mid-stream).
            const target = before + 250 + kills * 37;
            for (;;) {
              const status = await Promise.race([done, new Promise((r) => setTimeout(() => r('tick'), 5))]);
              if (status !== 'tick') throw new Error(`child ended before the kill: ${String(status)} ${stderr}`);
              if ((await lines(out)).length >= target) break;
            }
            child.kill('SIGKILL');
            expect(await done).toBe('SIGKILL');
            kills++;
          } else {
            expect(await done, stderr).toBe(0);
            break;
          }
        }
        const all = await lines(out);
        expect(all.at(-1)).toBe('DONE');
        const expected = ids(N);
        const position = new Map(expected.map((id, i) => [id, i]));
        const seen = all.slice(0, -1).map((id) => position.get(id) ?? -1);
        expect(seen.includes(-1)).toBe(false);
        expect(new Set(seen).size).toBe(N); // every event at least once
        let repeats = 0;
        for (let k = 1; k < seen.length; k++) {
          const prev = seen[k - 1] as number;
          const cur = seen[k] as number;
          if (cur === prev + 1) continue; // in order, nothing skipped
          // The only other step allowed: right after a kill, the in-flight event once more.
          expect(runStarts.includes(k), `jump ${prev} → ${cur} at line ${k}`).toBe(true);
          expect(cur).toBe(prev);
          repeats++;
        }
        expect(kills).toBe(3);
        expect(repeats).toBeLessThanOrEqual(3);
        expect(seen.length).toBe(N + repeats);
      },
      { latencyMs: 2 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
