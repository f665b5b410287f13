// Top line: environment (production in red inverse), daemon state, rate-limit use, operator.
import { Box, Text } from 'ink';
import type { ControlState, Operator } from '../services.js';
import { daemonPart, environmentPart, ratePart, verificationPart, type HeaderPart } from '../view-models/header.js';
import { truncate } from '../view-models/text.js';
import { Txt } from './txt.js';

function Part({ part }: { part: HeaderPart }) {
  return (
    <Txt tone={part.tone} inverse={part.inverse} bold={part.bold} dim={part.dim}>
      {part.text}
    </Txt>
  );
}

export function Header({ epoch = 0, control, environment, operator, readOnly, width, now, error }: {
  /** Changes after the terminal was handed to an editor, so the frame differs and Ink repaints it. */
  epoch?: number;
  control: ControlState | null;
  environment: string;
  operator: Operator | null;
  readOnly: boolean;
  width: number;
  now: Date;
  error: string | null;
}) {
  const env = environmentPart(control?.environment ?? environment);
  const verified = verificationPart(control, now);
  const who = operator ? `${operator.name || operator.username}${operator.role ? ` (${operator.role})` : ''}` : '';
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate-end">
        <Txt bold>SATUSEHAT</Txt>
        {epoch % 2 === 0 ? ' ' : '\u00a0'}
        <Part part={env} />
        {readOnly ? (
          <>
            <Txt dim> │ </Txt>
            <Txt tone="yellow" bold inverse>
              {' READ-ONLY '}
            </Txt>
          </>
        ) : null}
        <Txt dim> │ </Txt>
        {error ? <Txt tone="red">{`✘ ${truncate(error, 60)}`}</Txt> : <Part part={daemonPart(control, now)} />}
        <Txt dim> │ </Txt>
        <Part part={ratePart(control)} />
        {verified ? (
          <>
            <Txt dim> │ </Txt>
            <Part part={verified} />
          </>
        ) : null}
        {who ? <Txt dim>{` │ ${who}`}</Txt> : null}
      </Text>
    </Box>
  );
}
