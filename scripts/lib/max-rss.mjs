// Preloaded with --import by bench:memory: at exit, writes this process's peak resident set size (KiB, from
// getrusage) to the file named by MAX_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MAX_RSS_FILE) writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
