import { useEffect, useState, type RefObject } from 'react';
import {
  CANVAS_HINT,
  drawnJoints,
  isArrowKey,
  jointAnnouncement,
  jointKeyAction,
  stepJoint,
} from '#shared/editor/jointKeys';
import type { PointRef } from '#shared/editor/editorState';
import type { EditorStore } from './editorStore';

function nameOf(store: EditorStore, personId: number): string | undefined {
  const { people } = store.getState().track;
  if (people.length < 2) return undefined;
  return people.find((p) => p.personId === personId)?.name ?? `Person ${personId + 1}`;
}

function announce(store: EditorStore, ref: PointRef): string {
  return jointAnnouncement(ref, store.getState().points(ref.personId), nameOf(store, ref.personId));
}

/**
 * Makes the focused pose canvas work from the keyboard (the key map: `jointKeyAction`): `]`/`[`
 * choose a joint, arrows move it through the same drag as the pointer (IK/FK/free), and every
 * press-and-release of arrows is one undo step ("Move r_wrist"). Handled keys stop here, so the
 * window's editor shortcuts (arrows step frames) act only when the canvas is not focused or no
 * joint is chosen. Returns the text of the canvas's live region.
 */
export function useJointKeyboard(
  store: EditorStore,
  canvas: RefObject<HTMLElement | null>,
): string {
  const [said, setSaid] = useState('');
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let gesture: string | null = null;
    const held = new Set<string>();
    const endGesture = () => {
      held.clear();
      if (gesture && store.getState().ephemeral.drag?.id === gesture) store.getState().endGesture();
      gesture = null;
    };
    const choose = (direction: 1 | -1) => {
      const s = store.getState();
      const order = drawnJoints(
        s.track.people.map((p) => ({ personId: p.personId, points: s.points(p.personId) })),
        s.ahistoric.parts,
      );
      const selected = s.ephemeral.selectedPoints;
      const next = stepJoint(order, selected[selected.length - 1], direction);
      if (!next) return setSaid('No joints to choose on this frame.');
      s.selectPoints([next]);
      // The stage's joint label follows the choice, so sighted keyboard users see the name too.
      s.setEphemeral({ hover: next });
      setSaid(announce(store, next));
    };
    const nudge = (dx: number, dy: number): boolean => {
      const s = store.getState();
      const selected = s.ephemeral.selectedPoints;
      if (selected.length === 0) return false;
      const one = selected.length === 1 ? selected[0]! : null;
      if (!gesture) gesture = s.beginGesture(one ? 'joint' : 'group', one?.personId, one?.index);
      if (one) {
        const p = s.points(one.personId);
        if (!p) return true;
        s.dragJointTo(one.personId, one.index, p[one.index * 3]! + dx, p[one.index * 3 + 1]! + dy);
        setSaid(announce(store, one));
      } else {
        s.transformSelection({ dx, dy });
        setSaid(`Moved ${selected.length} points`);
      }
      return true;
    };
    const onKeyDown = (e: KeyboardEvent) => {
      const action = jointKeyAction(e);
      if (!action) return;
      if (action.kind === 'nudge') {
        // Nothing chosen: the arrows keep stepping frames (the window's shortcuts).
        if (!nudge(action.dx, action.dy)) return;
        held.add(e.key);
      } else choose(action.kind === 'next' ? 1 : -1);
      e.preventDefault();
      e.stopPropagation();
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (!isArrowKey(e.key) || !held.delete(e.key)) return;
      if (held.size === 0) endGesture();
    };
    const onFocus = () => {
      const selected = store.getState().ephemeral.selectedPoints;
      const last = selected[selected.length - 1];
      setSaid(last ? announce(store, last) : CANVAS_HINT);
    };
    el.addEventListener('keydown', onKeyDown);
    el.addEventListener('keyup', onKeyUp);
    el.addEventListener('focus', onFocus);
    el.addEventListener('blur', endGesture);
    return () => {
      endGesture();
      el.removeEventListener('keydown', onKeyDown);
      el.removeEventListener('keyup', onKeyUp);
      el.removeEventListener('focus', onFocus);
      el.removeEventListener('blur', endGesture);
    };
  }, [store, canvas]);
  return said;
}
