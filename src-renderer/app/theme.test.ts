import { getContrastRatio } from '@mui/material/styles';
import { blend } from '@mui/system/colorManipulator';
import { describe, expect, it } from 'vitest';
import { studioTheme } from './theme';

/** WCAG 2 AA for normal-size text (the rail's labels are 11 px captions). */
const AA = 4.5;

/** An rgba() colour laid over an opaque one, as the browser paints it. */
function over(background: string, rgba: string): string {
  const m = /rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)/.exec(rgba);
  if (!m) return rgba;
  return blend(background, `rgb(${m[1]}, ${m[2]}, ${m[3]})`, Number(m[4]));
}

describe.each(['dark', 'light'] as const)('the %s theme', (mode) => {
  const { palette: p } = studioTheme(mode);
  const paper = p.background.paper;
  // The navigation rail paints its selected item with action.selected over the paper.
  const railSelected = over(paper, p.action.selected);
  const pairs: [string, string, string][] = [
    ['accent text on the page', p.primary.main, p.background.default],
    ['accent text on a card', p.primary.main, paper],
    ["the selected rail item's label", p.primary.main, railSelected],
    ['secondary text on a card', over(paper, p.text.secondary), paper],
    [
      'secondary text on the selected rail item',
      over(railSelected, p.text.secondary),
      railSelected,
    ],
    ['text on an accent button', p.primary.contrastText, p.primary.main],
  ];
  it.each(pairs)('%s reaches 4.5:1', (_what, fg, bg) => {
    expect(getContrastRatio(over(bg, fg), bg)).toBeGreaterThanOrEqual(AA);
  });
});
