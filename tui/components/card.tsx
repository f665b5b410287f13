// One dashboard card: a resource type's progress and problems.
import { Box, Text } from 'ink';
import { useTui } from '../context.js';
import { useSpinner } from '../hooks/use-spinner.js';
import { regenText, type CardModel } from '../view-models/cards.js';
import { displayWidth, fit } from '../view-models/text.js';
import { ProgressBar } from './progress-bar.js';
import { Txt } from './txt.js';

export function Card({ model, selected, width, height }: { model: CardModel; selected: boolean; width: number; height: number }) {
  const { noColor } = useTui();
  const spin = useSpinner(model.regen?.running ?? false);
  const inner = model.inner;
  // Top-right corner: the regeneration's progress while it runs, else what `g` does here.
  const room = Math.max(0, inner - displayWidth(model.type) - 3);
  const corner = model.regen?.running ? `${spin} ${regenText(model.regen, Math.max(5, room))}` : model.regen?.waiting ? `⏸ ${regenText(model.regen, Math.max(5, room - 2))}` : model.corner;
  const nameWidth = corner ? Math.max(Math.min(displayWidth(model.type), inner), inner - displayWidth(corner) - 1) : inner;
  const cornerWidth = Math.max(0, inner - nameWidth - 1);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle={selected ? 'double' : 'round'} borderColor={noColor ? undefined : selected ? 'cyan' : 'gray'} flexShrink={0}>
      <Text wrap="truncate-end">
        <Txt bold inverse={selected}>{fit(model.type, Math.min(nameWidth, displayWidth(model.type)))}</Txt>
        {' '.repeat(Math.max(0, nameWidth - Math.min(nameWidth, displayWidth(model.type))))}
        {cornerWidth > 0 ? (
          <Txt tone={model.regen?.running ? 'cyan' : model.regen?.waiting ? 'yellow' : undefined} dim={!model.regen?.running && !model.regen?.waiting}>
            {` ${fit(corner, cornerWidth, 'right')}`}
          </Txt>
        ) : null}
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
}
