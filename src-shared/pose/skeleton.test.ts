import { describe, expect, it } from 'vitest';
import {
  BODY_LIMBS,
  FK_ORDER,
  HAND_EDGES,
  MIRROR,
  PARENT,
  POINT_COUNT,
  POINT_NAMES,
  partOf,
} from './skeleton';

describe('136-point skeleton', () => {
  it('names every point once', () => {
    expect(POINT_COUNT).toBe(136);
    expect(POINT_NAMES).toHaveLength(136);
    expect(new Set(POINT_NAMES).size).toBe(136);
  });

  it('has the 17 ControlNet limbs and 20 hand edges', () => {
    expect(BODY_LIMBS).toHaveLength(17);
    expect(HAND_EDGES).toHaveLength(20);
  });

  it('is a tree rooted at the neck, visited parents-first', () => {
    expect(PARENT.filter((p) => p < 0)).toEqual([-1]);
    expect(PARENT[1]).toBe(-1);
    const pos = new Map(FK_ORDER.map((p, i) => [p, i]));
    for (let i = 0; i < POINT_COUNT; i++) {
      if (PARENT[i]! >= 0) expect(pos.get(PARENT[i]!)!).toBeLessThan(pos.get(i)!);
    }
  });

  it('mirrors as an involution that swaps sides', () => {
    for (let i = 0; i < POINT_COUNT; i++) expect(MIRROR[MIRROR[i]!]).toBe(i);
    expect(MIRROR[2]).toBe(5); // r_shoulder ↔ l_shoulder
    expect(MIRROR[94]).toBe(115); // left wrist of hand ↔ right
    expect(partOf(MIRROR[100]!)).toBe('rightHand');
  });
});
