// Bottom two lines: the keys of this screen (or a question waiting for y/n), then the last
// action's result and the equivalent CLI command.
import { Box, Text } from 'ink';
import type { Tone } from '../view-models/badges.js';
import { Txt } from './txt.js';

export interface StatusMessage {
  text: string;
  tone?: Tone;
}

export interface Question {
  text: string;
  /** e.g. 'y confirm · n/Esc cancel' */
  keys: string;
}

export function Footer({ keys, message, cli, question, width }: { keys: string; message: StatusMessage | null; cli: string | null; question: Question | null; width: number }) {
  return (
    <Box flexDirection="column" width={width} height={2} overflow="hidden">
      {question ? (
        <Text wrap="truncate-end">
          <Txt tone="yellow" bold inverse>{` ? ${question.text} `}</Txt>
          <Txt bold>{`  ${question.keys}`}</Txt>
        </Text>
      ) : (
        <Txt dim>{keys}</Txt>
      )}
      <Text wrap="truncate-end">
        {message ? <Txt tone={message.tone}>{message.text}</Txt> : null}
        {message && cli ? <Txt dim>{'   '}</Txt> : null}
        {cli ? <Txt dim>{`$ ${cli}`}</Txt> : null}
      </Text>
    </Box>
  );
}
