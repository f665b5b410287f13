// Each TUI screen rendered with ink-testing-library against fake services: what the operator
// sees, and what each key does.
// chalk is Ink's own colour library (not a dependency of ours): forced to full colour for the NO_COLOR check.
import chalk from 'chalk';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { App } from '../../tui/app.js';
import { ADMIN, fakeServices, settle, testEnv } from './tui-fake-services.js';

const ENTER = '\r';
const ESC = '\u001B';
const DOWN = '\u001B[B';
const PGDN = '\u001B[6~';
const END = '\u001B[F';

afterEach(() => cleanup());

async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await settle(15);
  }
  await settle();
}

async function typeText(stdin: { write(s: string): void }, text: string) {
  for (const ch of text) {
    stdin.write(ch);
    await settle(3);
  }
  await settle();
}

function frameLines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n');
}

describe('login', () => {
  it('masks the password, refuses dokter with the reason, then lets admin in', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} />);
    await settle();
    expect(lastFrame()).toContain('Username');
    await typeText(stdin, 'dokter');
    await press(stdin, ENTER);
    await typeText(stdin, 'dokter123');
    expect(lastFrame()).toContain('•••••••••');
    expect(lastFrame()).not.toContain('dokter123');
    await press(stdin, ENTER);
    expect(svc.callsOf('login')[0]?.args).toEqual(['dokter', 'dokter123']);
    expect(lastFrame()).toMatch(/✘ dokter may not open SATUSEHAT: role is "dokter"/);
    // Focus is back on the username: clear it and log in as admin.
    await press(stdin, '\u0015');
    await typeText(stdin, 'admin');
    await press(stdin, ENTER);
    await typeText(stdin, 'admin123');
    await press(stdin, ENTER);
    await settle(60);
    expect(lastFrame()).toContain('Organization');
    expect(lastFrame()).toContain('Rudi Hartono (admin)');
  });

  it('a wrong password says so and clears the password', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} />);
    await settle();
    await typeText(stdin, 'admin');
    await press(stdin, ENTER);
    await typeText(stdin, 'nope');
    await press(stdin, ENTER);
    expect(lastFrame()).toContain('✘ wrong username or password');
    expect(lastFrame()).not.toContain('••••');
  });
});

describe('dashboard', () => {
  it('shows one card per type with bar, sent / total, in process, problems; header with environment, daemon and rate', async () => {
    const svc = fakeServices();
    const { lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    const frame = lastFrame() ?? '';
    for (const t of ['Organization', 'Location', 'Practitioner', 'Patient', 'Encounter']) expect(frame).toContain(t);
    expect(frame).toContain('sent 130 / 144');
    expect(frame).toMatch(/in process 2/);
    expect(frame).toMatch(/█+░+\s+90%/);
    expect(frame).toMatch(/⏸ ?12/);
    expect(frame).toContain('SATUSEHAT simulator');
    expect(frame).toContain('rate 12/150/min');
    expect(frame).toContain('$ satusehat status');
    // 30 rows: the frame is one line shorter than the terminal (no full-screen clear, no flicker).
    expect(frameLines(frame).length).toBeLessThanOrEqual(29);
    for (const line of frameLines(frame)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('marks production in the header', async () => {
    const svc = fakeServices();
    svc.controlState = { ...svc.controlState, environment: 'production', paused: true, pausedBy: 'budi' };
    const { lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    expect(lastFrame()).toContain(' PRODUCTION ');
    expect(lastFrame()).toContain('PAUSED by budi');
  });

  it('/ filters cards as you type and Esc clears', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    await press(stdin, '/');
    await typeText(stdin, 'enc');
    expect(lastFrame()).toContain('Encounter');
    expect(lastFrame()).not.toContain('Organization');
    await press(stdin, ESC);
    expect(lastFrame()).toContain('Organization');
  });

  it('keys that arrive in one chunk (fast typing, paste) all count', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    stdin.write('/enc\r');
    await settle(60);
    expect(lastFrame()).toContain('Search types: enc');
    expect(lastFrame()).not.toContain('Organization');
    stdin.write('\r');
    await settle(100);
    expect(lastFrame()).toContain('VISIT NO.');
    stdin.write('jjj');
    await settle(60);
    stdin.write('\r');
    await settle(100);
    // The fake only knows item 100 in detail: the panel opened for 103 says so.
    expect(lastFrame()).toContain('Item 103 not found');
  });

  it('[ and ] step the date filter for every card; t types a date; empty means all', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    expect(lastFrame()).toContain('all dates');
    await press(stdin, '[');
    await settle(40);
    // From "all dates" the first step lands on the clinic's today (+07:00).
    expect(lastFrame()).toContain('2026-11-20');
    expect(svc.callsOf('status').at(-1)?.args).toEqual(['2026-11-20']);
    expect(lastFrame()).toContain('sent 10 / 12');
    expect(lastFrame()).toContain('$ satusehat status --date 2026-11-20');
    await press(stdin, '[');
    expect(lastFrame()).toContain('2026-11-19');
    await press(stdin, 't');
    await press(stdin, '\u0015');
    await typeText(stdin, '2026-11-01');
    await press(stdin, ENTER);
    expect(lastFrame()).toContain('2026-11-01');
    await press(stdin, 't', '\u0015', ENTER);
    expect(lastFrame()).toContain('all dates');
    await press(stdin, 't', '\u0015');
    await typeText(stdin, '2026-02-30');
    await press(stdin, ENTER);
    expect(lastFrame()).toContain('is not a date');
  });

  it('g on a foundation type asks, then regenerates and shows the progress on the card', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    await press(stdin, DOWN); // Patient: first card of the second row at 100 columns
    await press(stdin, 'g');
    expect(lastFrame()).toContain('Regenerate Patient?');
    expect(lastFrame()).toContain('$ satusehat regenerate Patient');
    await press(stdin, 'y');
    await settle(60);
    expect(svc.callsOf('regenerate')[0]?.args).toEqual(['Patient', ADMIN]);
    expect(lastFrame()).toMatch(/regen(erating)? 3\/9/);
  });

  it('g on a non-foundation type explains why not', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    await press(stdin, 'j', 'l'); // Encounter
    await press(stdin, 'g');
    expect(lastFrame()).toContain('Regenerate is not available for Encounter');
    expect(svc.callsOf('regenerate')).toHaveLength(0);
    expect(lastFrame()).toContain('no regenerate');
  });

  it('read-only hides every write action', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc, { readOnly: true })} operator={ADMIN} />);
    await settle(60);
    expect(lastFrame()).toContain('READ-ONLY');
    expect(lastFrame()).not.toContain('g regenerate');
    await press(stdin, 'g');
    expect(lastFrame()).not.toContain('Regenerate Organization?');
    await press(stdin, '?');
    expect(lastFrame()).not.toMatch(/^g\s/m);
    expect(lastFrame()).toContain('write actions are hidden');
  });

  it('? lists every key of the screen; any key closes it', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    await press(stdin, '?');
    const help = lastFrame() ?? '';
    for (const k of ['Enter', '/', 'g', '[  ]', 't', 'r', 'q  Ctrl-C', '?']) expect(help).toContain(k);
    expect(help).toContain('Badges:');
    await press(stdin, 'x');
    expect(lastFrame()).toContain('Organization');
    expect(lastFrame()).not.toContain('Keys · Dashboard');
  });

  it('NO_COLOR: no colour codes at all, glyphs and words stay', async () => {
    const level = chalk.level;
    chalk.level = 3;
    onTestFinished(() => {
      chalk.level = level;
    });
    const coloured = render(<App env={testEnv(fakeServices())} operator={ADMIN} />);
    await settle(60);
    const colourRe = new RegExp(`${ESC}\\[(3[0-7]|9[0-7]|38;|4[0-7]|48;)`, 'g');
    const withColour = [...(coloured.lastFrame() ?? '').matchAll(colourRe)].length;
    coloured.unmount();
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc, { noColor: true })} operator={ADMIN} />);
    await settle(60);
    await press(stdin, 'j', 'l', ENTER);
    await settle(100);
    await press(stdin, ENTER);
    await settle(100);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('#100 Encounter');
    // Sanity: the same screen with colours on does use colour codes.
    expect(withColour).toBeGreaterThan(0);
    expect([...frame.matchAll(colourRe)]).toEqual([]);
    expect(frame).toContain('✘');
  });
});

describe('detail of a type', () => {
  async function openEncounter(envOver = {}) {
    const svc = fakeServices();
    const r = render(<App env={testEnv(svc, envOver)} operator={ADMIN} />);
    await settle(60);
    await press(r.stdin, 'j', 'l', ENTER);
    await settle(60);
    return { svc, ...r };
  }

  it("lists the type's items with its columns and a badge per row; fetches only the visible rows", async () => {
    const { svc, lastFrame } = await openEncounter();
    const frame = lastFrame() ?? '';
    expect(frame).toMatch(/VISIT NO\.\s+PATIENT\s+DATE/);
    expect(frame).toContain('✘ Tidak Terkirim 400');
    expect(frame).toContain('⏸ Menunggu');
    expect(frame).toContain('⚠ Tidak Valid');
    expect(frame).toContain('✔ Terkirim');
    const q = svc.callsOf('listItems').at(-1)?.args[0] as { pageSize: number; type: string };
    // 30 rows: terminal minus header, filter bar, footer, title, column header and one spare line.
    expect(q).toMatchObject({ type: 'Encounter', pageSize: 23 });
    expect(frame).toContain('page 1 of 2 · rows 1–23 of 45');
    expect(frame).toContain('$ satusehat items list --type Encounter');
  });

  it('pages with PgDn / n / p', async () => {
    const { stdin, lastFrame, svc } = await openEncounter();
    await press(stdin, PGDN);
    await settle(40);
    expect(lastFrame()).toContain('page 2 of 2 · rows 24–45 of 45');
    expect(svc.callsOf('listItems').at(-1)?.args[0]).toMatchObject({ page: 2 });
    await press(stdin, 'p');
    await settle(40);
    expect(lastFrame()).toContain('page 1 of 2');
  });

  it('f cycles the status filter (problems, failed, …) and shows the CLI equivalent', async () => {
    const { stdin, lastFrame, svc } = await openEncounter();
    await press(stdin, 'f');
    await settle(40);
    expect(svc.callsOf('listItems').at(-1)?.args[0]).toMatchObject({ status: 'problem', page: 1 });
    expect(lastFrame()).toContain('rows 1–3 of 3');
    await press(stdin, 'f');
    await settle(40);
    expect(lastFrame()).toContain('rows 1–1 of 1');
    expect(lastFrame()).toContain('$ satusehat items list --type Encounter --status failed');
  });

  it('/ searches business keys', async () => {
    const { stdin, lastFrame, svc } = await openEncounter();
    await press(stdin, '/');
    await typeText(stdin, 'pasien 144');
    await press(stdin, ENTER);
    await settle(60);
    expect(svc.callsOf('listItems').at(-1)?.args[0]).toMatchObject({ search: 'pasien 144' });
    expect(lastFrame()).toContain('rows 1–1 of 1');
    await press(stdin, ESC);
    await settle(60);
    expect(lastFrame()).toContain('of 45');
  });

  it('R counts the failed items matching the filter, asks, then resends them', async () => {
    const { stdin, lastFrame, svc } = await openEncounter();
    await press(stdin, 'R');
    await settle(40);
    expect(svc.callsOf('resendMatching')[0]?.args[2]).toEqual({ dryRun: true });
    expect(lastFrame()).toContain('Resend 1 failed Encounter item?');
    expect(lastFrame()).toContain('$ satusehat resend --type Encounter --status failed --yes');
    await press(stdin, 'y');
    await settle(40);
    expect(svc.callsOf('resendMatching')[1]?.args[2]).toEqual({ dryRun: false });
    expect(lastFrame()).toContain('✔ 1 queued for resend');
  });

  it('? keeps the page and the status filter: closing the help shows the same list', async () => {
    const { stdin, lastFrame, svc } = await openEncounter();
    await press(stdin, PGDN);
    await settle(40);
    expect(lastFrame()).toContain('page 2 of 2');
    await press(stdin, '?');
    expect(lastFrame()).toContain('Keys · Items of a type');
    expect(lastFrame()).not.toContain('VISIT NO.');
    await press(stdin, 'x');
    await settle(40);
    expect(lastFrame()).not.toContain('Keys · Items of a type');
    expect(lastFrame()).toContain('page 2 of 2 · rows 24–45 of 45');
    await press(stdin, 'f');
    await settle(40);
    expect(lastFrame()).toContain('Encounter · ✘⚠⏸ problems');
    const listed = svc.callsOf('listItems').length;
    await press(stdin, '?', 'x');
    await settle(40);
    expect(lastFrame()).toContain('Encounter · ✘⚠⏸ problems');
    expect(lastFrame()).toContain('rows 1–3 of 3');
    expect(lastFrame()).toContain('$ satusehat items list --type Encounter --status problem');
    // Nothing was fetched anew for all statuses (a remounted list would start there).
    expect(svc.callsOf('listItems').slice(listed).map((c) => (c.args[0] as { status?: string }).status ?? 'all')).not.toContain('all');
  });

  it('Esc goes back to the dashboard', async () => {
    const { stdin, lastFrame } = await openEncounter();
    await press(stdin, ESC);
    await settle(40);
    expect(lastFrame()).toContain('Organization');
  });
});

describe('item panel', () => {
  async function openFailedItem(envOver = {}) {
    const svc = fakeServices();
    const r = render(<App env={testEnv(svc, envOver)} operator={ADMIN} />);
    await settle(60);
    await press(r.stdin, 'j', 'l', ENTER);
    await settle(100);
    await press(r.stdin, ENTER);
    await settle(100);
    return { svc, ...r };
  }

  it('shows the request, the HTTP code with its hint and rule, and the OperationOutcome message', async () => {
    const { lastFrame } = await openFailedItem();
    const frame = lastFrame() ?? '';
    expect(frame).toContain('#100 Encounter');
    expect(frame).toContain('HTTP 400 · rule 10124: data invalid: fix the request and resend');
    expect(frame).toContain('Encounter.serviceProvider.reference: Invalid reference (RuleNumber: 10124)');
    expect(frame).toContain('"reference": "Organization/999"');
    expect(frame).toMatch(/› +"reference": "Organization\/999"/);
    expect(frame).toContain('$ satusehat items show 100');
  });

  it('Tab shows the response and the attempt history', async () => {
    const { stdin, lastFrame } = await openFailedItem();
    await press(stdin, '\t');
    expect(lastFrame()).toContain('"resourceType": "OperationOutcome"');
    await press(stdin, '\t');
    expect(lastFrame()).toMatch(/rev 2 +POST 400 +42 ms +http_4xx rules 10124/);
    expect(lastFrame()).toContain('Revisions:');
  });

  it('e with an external editor: a refused body keeps the text and shows the error place; the next e starts from it', async () => {
    const opened: string[] = [];
    const answers = ['{ "resourceType": "Encounter",\n  oops }', null];
    const editor = {
      name: 'fake-editor',
      edit(text: string) {
        opened.push(text);
        const next = answers.shift();
        return { ok: true as const, text: next ?? text.replace('oops', '"status": "finished"') };
      },
    };
    const { stdin, lastFrame, svc } = await openFailedItem({ editor });
    await press(stdin, 'e');
    await settle(60);
    expect(svc.callsOf('saveRevision')).toHaveLength(1);
    expect(lastFrame()).toContain('✘ edit refused: line 2 col 3: invalid JSON');
    expect(lastFrame()).toContain('your edited text is kept');
    await press(stdin, 'e');
    await settle(60);
    // The second editor session starts from the refused text, not from the stored revision.
    expect(opened[1]).toContain('oops');
    expect(svc.callsOf('saveRevision')).toHaveLength(2);
    expect(lastFrame()).toContain('✔ Saved as revision 3.');
    // A saved edit shows its diff; v toggles it.
    expect(lastFrame()).toMatch(/\+\s+"reference": "Organization\/100011961"/);
    expect(lastFrame()).toContain('--- revision 2');
    await press(stdin, 'v');
    expect(lastFrame()).not.toMatch(/\+\s+"reference": "Organization\/100011961"/);
  });

  it('e without an editor opens the built-in one at the problem line; Ctrl-S saves; Esc keeps the text', async () => {
    const { stdin, lastFrame, svc } = await openFailedItem();
    await press(stdin, 'e');
    expect(lastFrame()).toContain('Ctrl-S save');
    expect(lastFrame()).toMatch(/editing · line \d+/);
    // Replace 999 with the right organization id at the cursor (end of the marked line).
    await press(stdin, '\u007f', '\u007f', '\u007f', '\u007f');
    await typeText(stdin, '100011961"');
    await press(stdin, ESC);
    expect(lastFrame()).toContain('your text is kept');
    await press(stdin, 'e');
    expect(lastFrame()).toContain('Organization/100011961');
    await press(stdin, '\u0013');
    await settle(60);
    const saved = svc.callsOf('saveRevision')[0]?.args[1] as string;
    expect(JSON.parse(saved).serviceProvider.reference).toBe('Organization/100011961');
    expect(lastFrame()).toContain('✔ Saved as revision 3.');
  });

  it('s (Kirim Ulang) resends, waits with a spinner, then shows the new attempt: Terkirim', async () => {
    const { stdin, lastFrame, svc } = await openFailedItem({ pollMs: 60_000 });
    await press(stdin, 's');
    expect(svc.callsOf('resend')[0]?.args).toEqual([[100], ADMIN]);
    expect(lastFrame()).toContain('$ satusehat resend 100');
    expect(lastFrame()).toContain('waiting for the new attempt');
    expect(lastFrame()).toContain('◔ Antri');
    svc.deliverResend();
    // The panel polls every second while it waits.
    await settle(1_300);
    expect(lastFrame()).toContain('✔ Kirim Ulang: Terkirim (HTTP 201)');
    expect(lastFrame()).toContain('✔ Terkirim');
    expect(lastFrame()).toContain('"id": "enc-new"');
  });

  it('the read-only panel has no edit or resend', async () => {
    const { stdin, lastFrame, svc } = await openFailedItem({ readOnly: true });
    await press(stdin, 'e', 's');
    expect(svc.callsOf('resend')).toHaveLength(0);
    expect(lastFrame()).not.toContain('s Kirim Ulang');
  });

  it('? keeps the panel as it was: the view and the filtered list under it', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc)} operator={ADMIN} />);
    await settle(60);
    await press(stdin, 'j', 'l', ENTER);
    await settle(100);
    await press(stdin, 'f', 'f');
    await settle(60);
    await press(stdin, ENTER);
    await settle(100);
    await press(stdin, '\t', '\t');
    expect(lastFrame()).toContain('Revisions:');
    await press(stdin, '?');
    expect(lastFrame()).toContain('Keys · Item panel');
    await press(stdin, 'x');
    expect(lastFrame()).toContain('Revisions:');
    await press(stdin, ESC);
    await settle(60);
    expect(lastFrame()).toContain('--status failed');
    expect(lastFrame()).toContain('rows 1–1 of 1');
  });

  it('Esc closes the panel', async () => {
    const { stdin, lastFrame } = await openFailedItem();
    await press(stdin, ESC);
    await settle(40);
    expect(lastFrame()).not.toContain('#100 Encounter');
    expect(lastFrame()).toContain('VISIT NO.');
  });

  it('on a wide terminal the panel sits beside the list', async () => {
    const svc = fakeServices();
    const { stdin, lastFrame } = render(<App env={testEnv(svc, { size: { columns: 160, rows: 40 } })} operator={ADMIN} />);
    await settle(60);
    await press(stdin, END, ENTER);
    await settle(60);
    await press(stdin, ENTER);
    await settle(60);
    const line = frameLines(lastFrame()).find((l) => l.includes('✘ Tidak Terkirim 400') && l.includes('│'));
    expect(line).toBeDefined();
  });
});
