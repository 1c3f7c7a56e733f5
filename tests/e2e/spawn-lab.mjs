// Starts a lab process of a test's own (the one binary alone, a lab with a
// teacher's folder) and waits until a line of its output says it is ready.
// `ready(line, out)` returns the lab's URL once it is; `out` and `err` keep
// every line it printed, for the test's assertions.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function startLab(bin, args, { ready, cwd, env } = {}) {
  const lab = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  createInterface({ input: lab.stderr }).on('line', (l) => err.push(l));
  const url = await new Promise((resolve, reject) => {
    const said = () => [...out, ...err].join(' | ');
    const timer = setTimeout(() => reject(new Error(`${bin} did not start: ${said()}`)), 20000);
    lab.on('exit', (code) => reject(new Error(`${bin} stopped (${code}): ${said()}`)));
    createInterface({ input: lab.stdout }).on('line', (line) => {
      out.push(line);
      const url = ready(line, out);
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
  return { lab, out, err, url };
}
