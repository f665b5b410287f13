// A coloured bar: filled cells '█' and empty '░', so it also reads without colour.
import { Text } from 'ink';
import { useTui } from '../context.js';
import type { Tone } from '../view-models/badges.js';

export function ProgressBar({ filled, width, tone }: { filled: number; width: number; tone: Tone }) {
  const { noColor } = useTui();
  const f = Math.max(0, Math.min(width, filled));
  return (
    <Text wrap="truncate-end">
      <Text color={noColor ? undefined : tone}>{'█'.repeat(f)}</Text>
      <Text dimColor>{'░'.repeat(width - f)}</Text>
    </Text>
  );
}
