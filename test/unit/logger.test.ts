import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log/create-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('logger redaction', () => {
  it('never writes secrets, tokens or NIKs', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination: destination as never });
    log.info({ config: { satusehat: { clientSecret: 'S3CRET' } }, headers: { authorization: 'Bearer abc.def' }, access_token: 'tok123', patient: { nik: '3171234567890001' }, password: 'pw' }, 'hello');
    const text = lines.join('');
    expect(text).toContain('hello');
    for (const secret of ['S3CRET', 'abc.def', 'tok123', '3171234567890001', '"pw"']) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });
});
