import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../../shared/config/load-config.js';

describe('loadConfig', () => {
  it('defaults to the simulator on localhost', () => {
    const config = loadConfig({});
    expect(config.satusehat.env).toBe('simulator');
    expect(config.satusehat.fhirUrl).toBe('http://127.0.0.1:9977/fhir-r4/v1');
    expect(config.satusehat.authUrl).toBe('http://127.0.0.1:9977/oauth2/v1');
    expect(config.rateLimitPerMinute).toBe(150);
  });

  it('picks the sandbox host and requires credentials there', () => {
    expect(() => loadConfig({ SATUSEHAT_ENV: 'sandbox' })).toThrow(ConfigError);
    try {
      loadConfig({ SATUSEHAT_ENV: 'sandbox' });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'SATUSEHAT_CLIENT_ID is required for sandbox',
        'SATUSEHAT_CLIENT_SECRET (or SATUSEHAT_CLIENT_SECRET_FILE) is required for sandbox',
        'SATUSEHAT_ORG_ID is required for sandbox',
      ]);
    }
    const config = loadConfig({ SATUSEHAT_ENV: 'sandbox', SATUSEHAT_CLIENT_ID: 'id', SATUSEHAT_CLIENT_SECRET: 's', SATUSEHAT_ORG_ID: '100011961' });
    expect(config.satusehat.fhirUrl).toBe('https://api-satusehat-stg.dto.kemkes.go.id/fhir-r4/v1');
  });

  it('reports every bad variable', () => {
    try {
      loadConfig({ SATUSEHAT_ENV: 'staging', RATE_LIMIT_PER_MINUTE: 'lots', REDIS_URL: 'localhost' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/SATUSEHAT_ENV/);
      expect(problems).toMatch(/RATE_LIMIT_PER_MINUTE/);
      expect(problems).toMatch(/REDIS_URL/);
    }
  });

  it('refuses a stale-claim timeout shorter than the request timeout', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', SENDING_STALE_MS: '4000' })).toThrow(/SENDING_STALE_MS/);
  });

  it('reads the date floor MIN_RESOURCE_DATE, defaulting to Kamus Validasi\'s 2022-08-31', () => {
    expect(loadConfig({}).minResourceDate).toBe('2022-08-31');
    expect(loadConfig({ MIN_RESOURCE_DATE: '2014-06-03' }).minResourceDate).toBe('2014-06-03');
    expect(() => loadConfig({ MIN_RESOURCE_DATE: '2014-02-30' })).toThrow(/MIN_RESOURCE_DATE: must be a date like 2022-08-31/);
    expect(() => loadConfig({ MIN_RESOURCE_DATE: '03-06-2014' })).toThrow(/MIN_RESOURCE_DATE/);
  });

  it('sends Medication inside its MedicationRequest unless MEDICATION_MODE=separate', () => {
    expect(loadConfig({}).medicationMode).toBe('contained');
    expect(loadConfig({ MEDICATION_MODE: 'separate' }).medicationMode).toBe('separate');
    expect(() => loadConfig({ MEDICATION_MODE: 'both' })).toThrow(/MEDICATION_MODE/);
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('mysql://u:secret@db:3306/x')).toBe('mysql://u:***@db:3306/x');
  });
});
