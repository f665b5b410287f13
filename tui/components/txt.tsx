// Text with a tone that disappears under NO_COLOR (glyphs and words carry the meaning anyway).
// Always one line: long text is cut with an ellipsis, never wrapped into the layout.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useTui } from '../context.js';
import type { Tone } from '../view-models/badges.js';

export interface TxtProps {
  tone?: Tone;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
  wrap?: 'truncate-end' | 'wrap';
  children?: ReactNode;
}

export function Txt({ tone, bold, dim, inverse, underline, wrap = 'truncate-end', children }: TxtProps) {
  const { noColor } = useTui();
  const color = noColor || !tone ? undefined : tone === 'gray' ? 'gray' : tone;
  return (
    <Text color={color} bold={bold} dimColor={dim} inverse={inverse} underline={underline} wrap={wrap}>
      {children}
    </Text>
  );
}
