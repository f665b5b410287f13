// PM2 process file. Scheduling lives inside the daemon (SYNC_CRON), not in PM2's cron_restart.
// Start: pm2 start ecosystem.config.cjs --env production ; logs: pm2 logs satusehat-daemon
module.exports = {
  apps: [
    {
      name: 'satusehat-daemon',
      script: 'bin/satusehat.js',
      args: 'daemon',
      interpreter: 'node',
      cwd: __dirname,
      instances: 1,
      exec_mode: 'fork',
      // The daemon calls process.send('ready') once MySQL, Redis and the worker are up.
      wait_ready: true,
      listen_timeout: 30000,
      // Longer than REQUEST_TIMEOUT_MS (30 s) so in-flight sends finish before PM2 kills.
      kill_timeout: 45000,
      max_memory_restart: '512M',
      restart_delay: 5000,
      exp_backoff_restart_delay: 1000,
      merge_logs: true,
      time: false,
      env: { NODE_ENV: 'production' },
    },
  ],
};
