// `?`: every key of the current screen, from the same table the screens use.
import { Box, Text, useInput } from 'ink';
import { Txt } from '../components/txt.js';
import { helpRows, type Screen } from '../keys.js';
import { fit, wrapLines } from '../view-models/text.js';

const TITLES: Record<Screen, string> = { dashboard: 'Dashboard', detail: 'Items of a type', item: 'Item panel' };

export function HelpOverlay({ screen, readOnly, width, height, onClose }: { screen: Screen; readOnly: boolean; width: number; height: number; onClose(): void }) {
  useInput(() => onClose());
  const rows = helpRows(screen, { readOnly });
  const keyWidth = Math.min(22, Math.max(...rows.map((r) => r.keys.length)) + 2);
  const inner = width - 4;
  const room = Math.max(1, height - 7);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1} overflow="hidden">
      <Txt bold>{`Keys · ${TITLES[screen]}${readOnly ? ' · read-only session: write actions are hidden' : ''}`}</Txt>
      <Txt> </Txt>
      {rows.slice(0, room).map((r, i) => (
        <Text key={i} wrap="truncate-end">
          <Txt tone="cyan" bold>{fit(r.keys, keyWidth)}</Txt>
          <Txt>{fit(r.help, Math.max(1, inner - keyWidth))}</Txt>
        </Text>
      ))}
      {rows.length > room ? <Txt dim>{`… ${rows.length - room} more (make the terminal taller)`}</Txt> : null}
      {wrapLines('Badges: ✔ Terkirim (sent) · ✘ Tidak Terkirim + HTTP code (failed) · ○ Belum Terkirim (not sent) · ◔ Antri (queued) · ◑ Mengirim (sending) · ⏸ Menunggu (blocked by a parent) · ⚠ Tidak Valid (invalid). Any key closes.', inner, 3).map((line, i) => (
        <Txt key={`legend${i}`} dim>
          {line}
        </Txt>
      ))}
    </Box>
  );
}
