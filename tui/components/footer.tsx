// Bottom two lines: the keys of this screen (or a question waiting for y/n), then the last
// action's result and the equivalent CLI command.
import { Box, Text } from 'ink';
import type { Tone } from '../view-models/badges.js';
import { displayWidth, fit, truncate } from '../view-models/text.js';
import { Txt } from './txt.js';

export interface StatusMessage {
  text: string;
  tone?: Tone;
}

export interface Question {
  text: string;
  /** e.g. 'y yes · n no' */
  keys: string;
  detail?: string;
}

export function Footer({ keys, message, cli, question, width }: { keys: string; message: StatusMessage | null; cli: string | null; question: Question | null; width: number }) {
  return (
    <Box flexDirection="column" width={width} height={2} overflow="hidden">
      {question ? (
        <Text wrap="truncate-end">
          <Txt tone="yellow" bold inverse>{` ? ${question.text} `}</Txt>
          <Txt bold>{` ${question.keys} `}</Txt>
          {question.detail ? <Txt dim>{` ${question.detail}`}</Txt> : null}
        </Text>
      ) : (
        <Txt dim>{keys}</Txt>
      )}
      <StatusLine message={message} cli={cli} width={width} />
    </Box>
  );
}

/**
 * The result of the last action on the left, the equivalent CLI command on the right. Next to a
 * message the command keeps up to 60 % of the line, so neither hides the other on a narrow terminal.
 */
function StatusLine({ message, cli, width }: { message: StatusMessage | null; cli: string | null; width: number }) {
  const cliText = cli ? truncate(`$ ${cli}`, message ? Math.max(12, Math.floor(width * 0.6)) : width) : '';
  const room = Math.max(0, width - displayWidth(cliText) - (cliText ? 3 : 0));
  return (
    <Text wrap="truncate-end">
      {message ? <Txt tone={message.tone}>{fit(message.text, room)}</Txt> : <Txt>{' '.repeat(room)}</Txt>}
      {cliText ? <Txt dim>{`   ${cliText}`}</Txt> : null}
    </Text>
  );
}
