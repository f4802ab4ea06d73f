/**
 * A joint's marker can be hidden by design: where the legs cross in a walk, the leg drawn in
 * front covers the other's knee (the puppet draws left limbs over right ones by default). A
 * hidden marker says nothing about where the joint went, so the marker check renders the frame a
 * second time with each left/right pair of parts in the other order and measures a marker hidden
 * in the first render in the second. An arm lowered over the body hides the hip on its own side
 * whichever side is in front: a third render draws both arms behind the body
 * (`armsBehindBody`). A marker hidden in all of them is lost.
 */
import { BONES, type BoneName } from '#shared/puppet/bones';
import { type LayerOverrides, layerOrder } from '#shared/puppet/layerOrder';

const mirror = (name: BoneName): BoneName =>
  (name.startsWith('r') ? `l${name.slice(1)}` : `r${name.slice(1)}`) as BoneName;

/** Layer overrides that swap every left part's layer with its right counterpart's. */
export function otherSideInFront(reference: Float64Array): LayerOverrides {
  const layers = layerOrder(reference);
  const at = new Map(BONES.map((b, k) => [b.name, layers[k]!]));
  const out: LayerOverrides = {};
  for (const b of BONES) if (b.side !== 'mid') out[b.name] = at.get(mirror(b.name))!;
  return out;
}

/** Layer overrides that draw every arm part behind the torso and both legs. */
export function armsBehindBody(reference: Float64Array): LayerOverrides {
  const layers = layerOrder(reference);
  const back = Math.min(...layers) - 1;
  const out: LayerOverrides = {};
  for (const b of BONES) if (/Arm|Forearm|Hand/.test(b.name)) out[b.name] = back;
  return out;
}
