// PM2 process file (docs/operations.md). PM2 only supervises: scheduling lives inside the daemon
// (SYNC_CRON), so do not add cron_restart (it restarts a daemon that is mid-send, PM2 #2395).
// Start: pm2 start ecosystem.config.cjs && pm2 save ; logs: pm2 logs satusehat-daemon
module.exports = {
  apps: [
    {
      name: 'satusehat-daemon',
      script: 'bin/satusehat.js',
      args: 'daemon',
      interpreter: 'node',
      cwd: __dirname,
      // One daemon per host; more hosts may run one each (the extraction lock and the item claim
      // keep every tick and every send single). Not cluster mode: each process has its own
      // worker pool and health port.
      instances: 1,
      exec_mode: 'fork',
      // The daemon calls process.send('ready') once MySQL, Redis and the worker are up; PM2 shows
      // it online only then. Start-up pings give up after 5 s per service.
      wait_ready: true,
      listen_timeout: 30000,
      // PM2 sends SIGINT, waits kill_timeout, then SIGKILLs. The daemon stops taking jobs and lets
      // in-flight sends finish. A send may make two requests one after the other (a lookup by
      // identifier, then the POST), each up to REQUEST_TIMEOUT_MS (30 s), after a wait for the
      // shared rate limit: 70 s covers that. A send cut off anyway is taken over later with a
      // lookup first, so it is never duplicated.
      kill_timeout: 70000,
      max_memory_restart: '512M',
      // V8 otherwise lets the heap grow far past what the daemon keeps live (a backfill peaks at
      // ~330 MB RSS uncapped, ~200 MB with this cap; bench/backfill-plan.ts).
      node_args: '--max-old-space-size=256',
      // Crash loop (MySQL or Redis down at start: exit 5): 2 s, then x1.5 up to PM2's 15 s cap.
      exp_backoff_restart_delay: 2000,
      // Exit 2 is bad configuration: restarting cannot fix it, so PM2 leaves it stopped.
      stop_exit_codes: [2],
      // Logs are pino JSON lines on stdout, one object per line; leave them as they are (no PM2
      // timestamp prefix, no log_type json envelope). Rotation: pm2-logrotate (docs/operations.md).
      merge_logs: true,
      time: false,
      env: { NODE_ENV: 'production' },
    },
  ],
};
