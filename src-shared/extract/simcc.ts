/**
 * SimCC decoding (RTMPose / DWPose): per keypoint, the arg-max of the x and y classification
 * vectors is the location (divided by the split ratio) and the smaller of the two maxima is the
 * score, as `get_simcc_maximum` in the reference.
 */
export interface SimccKeypoints {
  /** x, y per keypoint in model-input pixels (−1 when the score is ≤ 0). */
  xy: Float64Array;
  scores: Float64Array;
}

export function decodeSimcc(
  simccX: Float32Array,
  simccY: Float32Array,
  keypoints: number,
  widthX: number,
  widthY: number,
  splitRatio: number,
  /** Person index inside a batch. */
  person = 0,
): SimccKeypoints {
  const xy = new Float64Array(keypoints * 2);
  const scores = new Float64Array(keypoints);
  for (let k = 0; k < keypoints; k++) {
    const bx = (person * keypoints + k) * widthX;
    const by = (person * keypoints + k) * widthY;
    let mx = -Infinity;
    let ix = 0;
    for (let i = 0; i < widthX; i++) {
      const v = simccX[bx + i]!;
      if (v > mx) {
        mx = v;
        ix = i;
      }
    }
    let my = -Infinity;
    let iy = 0;
    for (let i = 0; i < widthY; i++) {
      const v = simccY[by + i]!;
      if (v > my) {
        my = v;
        iy = i;
      }
    }
    const score = Math.min(mx, my);
    scores[k] = score;
    xy[k * 2] = score > 0 ? ix / splitRatio : -1;
    xy[k * 2 + 1] = score > 0 ? iy / splitRatio : -1;
  }
  return { xy, scores };
}
