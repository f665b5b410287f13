// One dashboard card: a resource type's progress and problems.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useTui } from '../context.js';
import { useSpinner } from '../hooks/use-spinner.js';
import { regenText, type CardModel } from '../view-models/cards.js';
import { displayWidth, fit } from '../view-models/text.js';
import { ProgressBar } from './progress-bar.js';
import { Txt } from './txt.js';

export const Card = memo(function Card({ model, selected, width }: { model: CardModel; selected: boolean; width: number }) {
  const { noColor } = useTui();
  const spin = useSpinner(model.regen?.running ?? false);
  const inner = model.inner;
  let right = '';
  let rightTone: 'cyan' | undefined;
  let rightDim = true;
  if (model.regen?.running) {
    right = `${spin} ${regenText(model.regen)}`;
    rightTone = 'cyan';
    rightDim = false;
  } else if (model.regenDisabledReason === null) right = 'g regenerate';
  else if (model.regenDisabledReason !== 'read-only session') right = 'no regenerate';
  const nameWidth = Math.max(4, inner - (right ? Math.min(displayWidth(right), inner - 6) + 1 : 0));
  const title = fit(`${selected ? '▶ ' : ''}${model.type}`, nameWidth);
  const rightText = right ? fit(right, inner - nameWidth - 1, 'right') : '';
  return (
    <Box
      flexDirection="column"
      width={width}
      height={8}
      borderStyle={selected ? 'double' : 'round'}
      borderColor={noColor ? undefined : selected ? 'cyan' : 'gray'}
      flexShrink={0}
    >
      <Text wrap="truncate-end">
        <Txt bold inverse={selected && noColor}>{title}</Txt>
        {right ? ' ' : ''}
        <Txt tone={rightTone} dim={rightDim}>{rightText}</Txt>
      </Text>
      <Text wrap="truncate-end">
        <ProgressBar filled={model.barFilled} width={model.barWidth} tone={model.barTone} />
        <Txt bold>{` ${model.percentText}`}</Txt>
      </Text>
      {model.lines.map((line, i) => (
        <Txt key={i} tone={line.tone} dim={line.dim} bold={line.bold}>
          {fit(line.text, inner)}
        </Txt>
      ))}
    </Box>
  );
});
