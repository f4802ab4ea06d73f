import Konva from 'konva';
import {
  BODY_LIMBS,
  FOOT_LIMBS,
  HAND_EDGES,
  LEFT_HAND,
  PALETTE,
  POINT_COUNT,
  RIGHT_HAND,
  partOf,
  type PartName,
} from '#shared/pose/skeleton';
import type { PersonPose, PoseFrame } from '#shared/pose/types';
import { handEdgeColor } from '#shared/pose/conditioning';
import type { PartVisibility, PointRef } from '#shared/editor/editorState';
import { PART_TOGGLE as TOGGLE } from '#shared/editor/jointKeys';

const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

interface Bone {
  line: Konva.Line;
  a: number;
  b: number;
  part: PartName;
}

interface PersonNodes {
  id: number;
  group: Konva.Group;
  bones: Bone[];
  joints: Konva.Circle[];
}

export interface SceneCallbacks {
  dragStart(ref: PointRef, additive: boolean): void;
  dragMove(ref: PointRef, x: number, y: number): void;
  dragEnd(): void;
  click(ref: PointRef, additive: boolean): void;
  hover(ref: PointRef | null): void;
}

export interface SceneOptions {
  parts: PartVisibility;
  selected: ReadonlySet<string>;
  zoom: number;
}

/** The bone list of one person: the ControlNet body limbs, feet, and both hands' 20 edges. */
function boneSpecs(): { a: number; b: number; part: PartName; color: string; width: number }[] {
  const out = BODY_LIMBS.map(([a, b], i) => ({
    a,
    b,
    part: 'body' as PartName,
    color: rgb(PALETTE[i]!),
    width: 4,
  }));
  for (const [a, b] of FOOT_LIMBS) out.push({ a, b, part: 'feet', color: '#c8c8c8', width: 3 });
  for (const hand of [LEFT_HAND, RIGHT_HAND])
    HAND_EDGES.forEach(([a, b], e) =>
      out.push({
        a: hand.start + a,
        b: hand.start + b,
        part: hand === LEFT_HAND ? 'leftHand' : 'rightHand',
        color: rgb(handEdgeColor(e)),
        width: 2,
      }),
    );
  return out;
}
const BONES = boneSpecs();

function jointStyle(i: number): { fill: string; radius: number } {
  const part = partOf(i);
  if (part === 'body') return { fill: rgb(PALETTE[i]!), radius: 5 };
  if (part === 'feet') return { fill: '#e0e0e0', radius: 4 };
  if (part === 'face') return { fill: '#ffffff', radius: 2.5 };
  return { fill: '#5b8cff', radius: 3 };
}

/**
 * The skeleton layer, driven imperatively: nodes are created once per person and moved on each
 * update, so dragging a joint costs a few hundred attribute writes and one batched draw — React
 * never re-renders the 272 joints.
 */
export class SkeletonScene {
  private people = new Map<number, PersonNodes>();

  constructor(
    private readonly layer: Konva.Layer,
    private readonly cb: SceneCallbacks,
  ) {}

  private build(id: number): PersonNodes {
    const group = new Konva.Group({ name: `person-${id}` });
    const bones: Bone[] = BONES.map((s) => {
      const line = new Konva.Line({
        points: [0, 0, 0, 0],
        stroke: s.color,
        strokeWidth: s.width,
        lineCap: 'round',
        opacity: 0.85,
        listening: false,
        perfectDrawEnabled: false,
        strokeScaleEnabled: false,
      });
      group.add(line);
      return { line, a: s.a, b: s.b, part: s.part };
    });
    const joints: Konva.Circle[] = [];
    for (let i = 0; i < POINT_COUNT; i++) {
      const st = jointStyle(i);
      const c = new Konva.Circle({
        radius: st.radius,
        fill: st.fill,
        stroke: '#10131a',
        strokeWidth: 1,
        strokeScaleEnabled: false,
        draggable: true,
        perfectDrawEnabled: false,
        hitStrokeWidth: 6,
        name: `joint p${id} j${i}`,
      });
      c.setAttr('ref', { personId: id, index: i } satisfies PointRef);
      c.on('dragstart', (e) => this.cb.dragStart({ personId: id, index: i }, e.evt.shiftKey));
      c.on('dragmove', () => this.cb.dragMove({ personId: id, index: i }, c.x(), c.y()));
      c.on('dragend', () => this.cb.dragEnd());
      c.on('click tap', (e) => {
        e.cancelBubble = true;
        this.cb.click({ personId: id, index: i }, (e.evt as MouseEvent).shiftKey);
      });
      c.on('mouseenter', () => {
        document.body.style.cursor = 'grab';
        this.cb.hover({ personId: id, index: i });
      });
      c.on('mouseleave', () => {
        document.body.style.cursor = '';
        this.cb.hover(null);
      });
      group.add(c);
      joints.push(c);
    }
    this.layer.add(group);
    const nodes = { id, group, bones, joints };
    this.people.set(id, nodes);
    return nodes;
  }

  /** Screen position of a joint (for tests and the benchmark to aim the pointer). */
  jointNode(personId: number, index: number): Konva.Circle | undefined {
    return this.people.get(personId)?.joints[index];
  }

  update(frame: PoseFrame, opt: SceneOptions): void {
    const alive = new Set<number>();
    for (const person of frame.people) {
      alive.add(person.id);
      this.updatePerson(this.people.get(person.id) ?? this.build(person.id), person, opt);
    }
    for (const [id, nodes] of this.people)
      if (!alive.has(id)) {
        nodes.group.destroy();
        this.people.delete(id);
      }
    this.layer.batchDraw();
  }

  private updatePerson(nodes: PersonNodes, person: PersonPose, opt: SceneOptions): void {
    const p = person.points;
    const inv = 1 / opt.zoom;
    for (const bone of nodes.bones) {
      const oa = bone.a * 3;
      const ob = bone.b * 3;
      const show = opt.parts[TOGGLE[bone.part]] && p[oa + 2]! > 0 && p[ob + 2]! > 0;
      bone.line.visible(show);
      if (show) bone.line.points([p[oa]!, p[oa + 1]!, p[ob]!, p[ob + 1]!]);
    }
    for (let i = 0; i < POINT_COUNT; i++) {
      const c = nodes.joints[i]!;
      const o = i * 3;
      const x = p[o]!;
      const y = p[o + 1]!;
      const conf = p[o + 2]!;
      // Hidden points (confidence 0 but placed) stay grabbable as faint rings so they can be
      // shown again; points that were never placed are not drawn.
      const placed = conf > 0 || x !== 0 || y !== 0;
      const show = placed && opt.parts[TOGGLE[partOf(i)]];
      c.visible(show);
      if (!show) continue;
      c.x(x);
      c.y(y);
      const base = jointStyle(i);
      const selected = opt.selected.has(`${person.id}/${i}`);
      c.radius((selected ? base.radius + 2 : base.radius) * inv);
      c.opacity(conf > 0 ? 1 : 0.35);
      c.stroke(selected ? '#ffffff' : '#10131a');
      c.strokeWidth(selected ? 2 : 1);
    }
  }
}
