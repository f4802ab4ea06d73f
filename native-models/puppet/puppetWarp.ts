/**
 * The puppet generator's per-frame warp as an ONNX graph (opset 17; GridSample needs 16+).
 *
 * Backward linear-blend skinning with a layer bias, solved on a coarse grid and upsampled:
 *   1. every coarse target point p of the crop is mapped by each bone's inverse map: s_k = B_k·p;
 *   2. σ_k = w_k(s_k): part k's source-space weight where bone k says p comes from (one GridSample
 *      of the K weight maps, batch = bone);
 *   3. src = Σ π_k s_k, π = softmax(log σ_k + bias_k·overlap): nearer parts win overlaps;
 *      around the claimed points the source is extrapolated two rings out and a gate closes;
 *   4. the (src, gate) field is upsampled bilinearly to full resolution inside the cells the
 *      character touches (seam cells are solved per pixel instead), giving each pixel a source
 *      in the picture and a gate;
 *   5. the engine samples the picture at those sources and composites over the background plate
 *      in one pass (src-shared/puppet/compositor.ts).
 * Why the last sampling is not a GridSample here: ORT's CPU GridSample walks each of the 4 colour
 * planes separately and was 4.4 of the graph's 12 ms per 512² frame; one pass over an interleaved
 * RGBA copy of the picture that also composites costs about half (see docs/puppet.md).
 * All per-character tensors are inputs, so one model file serves every character and size.
 */
import { BONE_COUNT } from '#shared/puppet/bones';
import { GraphBuilder } from '#native-models/graphBuilder';

export const PUPPET_WARP_OPSET = 17;

/** Corner sources of a cell's parts further apart than this (px) → the cell is solved per pixel. */
export const SEAM_SPREAD_PX = 4;
/** Parts evaluated per pixel in a seam cell (the strongest at its corners). */
export const CANDIDATES = 3;
/**
 * A seam pixel's part is drawn from weight SEAM_GATE_FROM at its source (fully from +0.2), where its source and the other drawn part’s are 10–30 px apart: a
 * lower weight means the source pixel belongs mostly to another part (an arm's weight fading into
 * the torso at the armpit), and drawing it grows thin "wings" of that part beside a raised limb.
 */
export const SEAM_GATE_FROM = 0.35;

/** Input names are the contract with the engine (fed by src-main/engine/puppet/puppetRenderer.ts). */
export const PUPPET_WARP_INPUTS = [
  'weights', // float32 [K,1,h,w] per-bone source weights on the coarse source grid
  'grid_points', // float32 [1,N,3] coarse target points (x, y, 1) covering the crop box
  'bones_weight', // float32 [K,3,2] target px → normalized coarse-weight-grid coords, per bone
  'bones_picture', // float32 [K,2,3] target px → normalized picture coords, per bone
  'layer_bias', // float32 [K,1,1] β·layer: nearer parts win where parts overlap
  'picture_to_weight', // float32 [2,2,1] = [[sx,sy],[ox,oy]]: picture coords → weight-grid coords
  'crop_grid_shape', // int64 [4] = [1, 3, hc, wc], the coarse grid over the crop (N = hc·wc)
  'tile_weights', // float32 [4, stride²]: bilinear weights of a cell's corners (00, 01, 10, 11) per pixel
  'picture_alpha', // float32 [1,1,H,W]: the picture's alpha (its shape gives the picture's size)
] as const;

/**
 * Outputs, per listed cell (`cells`: the smooth cells, then the seam cells), stride×stride pixels
 * stacked as rows: `grid`, each pixel's source in normalized picture coordinates (GridSample's
 * convention, align_corners = 1), and `gate`, how much of it is drawn. Seam cells have two layers:
 * the rows of all seam cells' front (winner) pixels, then the same for the part behind; the
 * compositor draws the front over the back. `parts`, laid out like `gate`, holds the bits
 * (2^bone) of the parts drawing each pixel, so the compositor takes colour only from picture
 * pixels those parts own (src-shared/puppet/pixelOwners.ts). `debug` adds outputs of the coarse field and coverage
 * (tests and diagnostics only).
 */
export function buildPuppetWarp(options: { debug?: boolean } = {}): Uint8Array {
  const g = new GraphBuilder('puppet_warp');
  const weights = g.input('weights', 'float32', ['K', 1, 'h', 'w']);
  const gridPoints = g.input('grid_points', 'float32', [1, 'N', 3]);
  const bonesWeight = g.input('bones_weight', 'float32', ['K', 3, 2]);
  const bonesPicture = g.input('bones_picture', 'float32', ['K', 2, 3]);
  const layerBias = g.input('layer_bias', 'float32', ['K', 1, 1]);
  const pictureToWeight = g.input('picture_to_weight', 'float32', [2, 2, 1]);
  const cropGridShape = g.input('crop_grid_shape', 'int64', [4]);
  const tileWeights = g.input('tile_weights', 'float32', [4, 'S']);
  const alphaPlane = g.input('picture_alpha', 'float32', [1, 1, 'H', 'W']);
  const picture = alphaPlane; // only its size is used below

  const one = g.constFloat([1], []);
  const axis0 = g.constInt64([0]);
  const axis1 = g.constInt64([1]);

  // 1–2. σ_k = w_k(s_k): batch k samples its own weight map at its own candidate points.
  const sw = g.node('MatMul', [gridPoints, bonesWeight]); // [K, N, 2]
  const swGrid = g.node('Reshape', [sw, g.constInt64([0, 1, -1, 2])]); // [K, 1, N, 2]
  const sigma4 = g.node('GridSample', [weights, swGrid], {
    mode: 'bilinear',
    padding_mode: 'zeros',
    align_corners: 1,
  }); // [K, 1, 1, N]
  const sigma = g.node('Reshape', [sigma4, g.constInt64([0, 1, -1])]); // [K, 1, N]

  // 3. Layer-biased blend of the candidate sources, in normalized picture coordinates.
  const pointsT = g.node('Transpose', [gridPoints], { perm: [0, 2, 1] }); // [1, 3, N]
  const s = g.node('MatMul', [bonesPicture, pointsT]); // [K, 2, N]
  const coverage = g.node('ReduceSum', [sigma, axis0], { keepdims: 1 }); // [1, 1, N]
  // Blend weights π = softmax_k(log σ_k + bias_k·overlap), i.e. σ_k·e^(bias_k·overlap) normalized,
  // computed in the log domain so large biases neither overflow nor underflow. The bias acts only
  // where parts really overlap (coverage well above 1: two parts claim p); at a seam between
  // connected parts the weights sum to about 1 and blend unbiased, so joints bend smoothly.
  const overlap = g.node('Clip', [
    g.node('Mul', [g.node('Sub', [coverage, g.constFloat([1.3], [])]), g.constFloat([2], [])]),
    g.constFloat([0], []),
    one,
  ]);
  const logits = g.node('Add', [
    g.node('Log', [g.node('Add', [sigma, g.constFloat([1e-30], [])])]),
    g.node('Mul', [layerBias, overlap]),
  ]);
  // Softmax over the bone axis by hand: ORT's Softmax on a non-last axis transposes (slow).
  const e = g.node('Exp', [
    g.node('Sub', [logits, g.node('ReduceMax', [logits], { axes: [0], keepdims: 1 })]),
  ]);
  const pi = g.node('Div', [e, g.node('ReduceSum', [e, axis0], { keepdims: 1 })]); // [K, 1, N]
  const src = g.node('ReduceSum', [g.node('Mul', [s, pi]), axis0], { keepdims: 1 }); // [1, 2, N]
  // Claimed points (some part's weight lands there) keep their source; the two rings of unclaimed
  // points around them get a source extrapolated from claimed neighbours (3×3 mean), so the
  // bilinear upsampling at the silhouette never mixes in a meaningless source. The gate is open on
  // the claimed points and the first ring: beyond it nothing is drawn.
  // Consistency: how much the picture at the blended source belongs to the bones that claimed it,
  // Σ_k π_k·w_k(src). A weak claim whose source lies in another part's territory (a seam tail
  // reaching over a neighbour) scores ~0 and is not drawn; a stretched joint (two half claims
  // meeting at the joint) scores ~0.5 and is.
  const p2wScale = g.node('Slice', [pictureToWeight, g.constInt64([0]), g.constInt64([1]), axis0]);
  const p2wOffset = g.node('Slice', [pictureToWeight, g.constInt64([1]), g.constInt64([2]), axis0]);
  const srcW = g.node('Add', [g.node('Mul', [src, p2wScale]), p2wOffset]); // [1, 2, N]
  const srcWGrid = g.node('Reshape', [
    g.node('Transpose', [srcW], { perm: [0, 2, 1] }),
    g.constInt64([1, 1, -1, 2]),
  ]);
  const weightsAll = g.node('Reshape', [weights, g.constInt64([1, -1, 0, 0])]); // [1, K, h, w]
  const atSrc = g.node('GridSample', [weightsAll, srcWGrid], {
    mode: 'bilinear',
    padding_mode: 'zeros',
    align_corners: 1,
  }); // [1, K, 1, N]
  const consistency = g.node(
    'ReduceSum',
    [g.node('Mul', [g.node('Squeeze', [atSrc, axis0]), pi]), axis0],
    { keepdims: 1 },
  ); // [1, 1, N]
  const claimed = g.node('Clip', [
    g.node('Mul', [g.node('Sub', [consistency, g.constFloat([0.1], [])]), g.constFloat([5], [])]),
    g.constFloat([0], []),
    one,
  ]); // [1, 1, N]
  const gridShape1 = g.node(
    'Concat',
    [g.constInt64([1, 1]), g.node('Slice', [cropGridShape, g.constInt64([2]), g.constInt64([4])])],
    { axis: 0 },
  );
  const pool = { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] };
  // Around the claimed points the blend weights π are extrapolated two rings out (3×3 means) and
  // the source recomputed from the bones' own maps, Σ π_k·s_k: exact for a rigidly moved part, so a
  // point just outside a moved limb samples just outside the original limb (background).
  const gridShapeK = g.node(
    'Concat',
    [g.constInt64([1, -1]), g.node('Slice', [cropGridShape, g.constInt64([2]), g.constInt64([4])])],
    { axis: 0 },
  );
  let piImg = g.node('Reshape', [pi, gridShapeK]); // [1, K, hc, wc]
  const claimedImg = g.node('Reshape', [claimed, gridShape1]);
  let mask = claimedImg;
  const ring = () => {
    const sumPi = g.node('AveragePool', [g.node('Mul', [piImg, mask])], {
      ...pool,
      count_include_pad: 1,
    });
    const sumMask = g.node('AveragePool', [mask], { ...pool, count_include_pad: 1 });
    const ext = g.node('Div', [sumPi, g.node('Max', [sumMask, g.constFloat([1e-6], [])])]);
    piImg = g.node('Add', [
      g.node('Mul', [piImg, mask]),
      g.node('Mul', [ext, g.node('Sub', [one, mask])]),
    ]);
    mask = g.node('MaxPool', [mask], pool);
  };
  ring();
  const ring1 = mask;
  ring();
  const piExt = piImg;
  const sImg = g.node('Reshape', [
    s,
    g.node(
      'Concat',
      [
        g.constInt64([-1, 2]),
        g.node('Slice', [cropGridShape, g.constInt64([2]), g.constInt64([4])]),
      ],
      { axis: 0 },
    ),
  ]); // [K, 2, hc, wc]
  const piK = g.node('Transpose', [piExt], { perm: [1, 0, 2, 3] }); // [K, 1, hc, wc]
  const srcFinal = g.node('ReduceSum', [g.node('Mul', [sImg, piK]), axis0], { keepdims: 1 }); // [1, 2, hc, wc]
  // A ring point must show background: if its extrapolated source lands on another part (a limb that
  // hung next to the body in the reference), it would draw a sliver of that part — close it there.
  const p2w4 = g.constInt64([1, 2, 1, 1]);
  const srcW4 = g.node('Add', [
    g.node('Mul', [srcFinal, g.node('Reshape', [p2wScale, p2w4])]),
    g.node('Reshape', [p2wOffset, p2w4]),
  ]);
  const wAtRing = g.node(
    'GridSample',
    [weightsAll, g.node('Transpose', [srcW4], { perm: [0, 2, 3, 1] })],
    {
      mode: 'bilinear',
      padding_mode: 'zeros',
      align_corners: 1,
    },
  ); // [1, K, hc, wc]
  const foreign = g.node(
    'ReduceSum',
    [g.node('Mul', [wAtRing, g.node('Sub', [one, piExt])]), axis1],
    { keepdims: 1 },
  ); // [1, 1, hc, wc]
  const ringOpen = g.node('Clip', [
    g.node('Sub', [one, g.node('Mul', [foreign, g.constFloat([2], [])])]),
    g.constFloat([0], []),
    one,
  ]);
  const gate = g.node('Add', [
    claimedImg,
    g.node('Mul', [g.node('Sub', [ring1, claimedImg]), ringOpen]),
  ]);
  const fieldImg = g.node('Concat', [srcFinal, gate], { axis: 1 }); // [1, 3, hc, wc]

  // 4. Upsample to the crop size, sample the picture once, composite over the background.
  // 4. Only the coarse cells the character touches are sampled at full resolution: the cells with
  // an open gate at any corner, each expanded to stride×stride pixels by bilinear interpolation of
  // its corners (a MatMul with fixed weights), stacked as one tall grid and sampled once. The engine
  // composites the tiles over the plate, so background pixels cost nothing.
  const gateImg = g.node('Slice', [fieldImg, g.constInt64([2]), g.constInt64([3]), axis1]);
  const cellOpen = g.node('MaxPool', [gateImg], { kernel_shape: [2, 2], strides: [1, 1] }); // [1,1,hc−1,wc−1]
  // Seam cells: two parts present in the cell (blend weight π above 1% at an open corner) whose
  // own sources disagree by more than SEAM_SPREAD_PX at some corner — an arm raised 150° beside the
  // torso or over the head. Bilinear interpolation of (source, gate) between such corners samples
  // whatever lies between those places in the picture: torn stair-step edges and streaks of
  // unrelated colour. Those cells are resolved per pixel instead (below). Seams that bend gently
  // (sources within a couple of pixels) and single parts interpolate as before: cheap.
  const openCorner = g.node('Cast', [g.node('Greater', [gate, g.constFloat([0], [])])], { to: 1 });
  const cellPi = g.node('MaxPool', [g.node('Mul', [piExt, openCorner])], {
    kernel_shape: [2, 2],
    strides: [1, 1],
  }); // [1, K, hc−1, wc−1]: each part's largest π at the cell's open corners
  const present = g.node('Cast', [g.node('Greater', [cellPi, g.constFloat([0.01], [])])], {
    to: 1,
  });
  // |s_k − src|∞ per bone (elementwise on the x and y planes: no reduction over a middle axis).
  const diff = g.node('Abs', [g.node('Sub', [sImg, srcFinal])]); // [K, 2, hc, wc]
  const spread = g.node('Reshape', [
    g.node('Max', [
      g.node('Slice', [diff, g.constInt64([0]), g.constInt64([1]), axis1]),
      g.node('Slice', [diff, g.constInt64([1]), g.constInt64([2]), axis1]),
    ]),
    gridShapeK,
  ]); // [1, K, hc, wc], normalized picture units
  const pictureW = g.node('Cast', [g.node('Shape', [picture], { start: 3, end: 4 })], { to: 1 });
  // Largest over parts as a MaxPool over the part axis ([1, 1, K, cells]): ORT's ReduceMax over a
  // middle axis is several times slower.
  const spreadKC = g.node('Mul', [
    present,
    g.node('MaxPool', [spread], { kernel_shape: [2, 2], strides: [1, 1] }),
  ]); // [1, K, hc−1, wc−1]
  const spreadMax = g.node('Reshape', [
    g.node('MaxPool', [g.node('Reshape', [spreadKC, g.constInt64([1, 1, BONE_COUNT, -1])])], {
      kernel_shape: [BONE_COUNT, 1], // the weights input has K = BONE_COUNT maps
    }),
    g.node('Shape', [cellOpen]),
  ]); // [1, 1, hc−1, wc−1]
  const spreadPx = g.node('Mul', [
    spreadMax,
    g.node('Mul', [g.node('Sub', [pictureW, one]), g.constFloat([0.5], [])]),
  ]); // pixels
  const diverging = g.node('Mul', [
    g.node('Sub', [spreadPx, g.constFloat([SEAM_SPREAD_PX], [])]),
    g.constFloat([1], []),
  ]);
  // …or some corner is a ring point closed (partly) because its source lands on another part: the
  // silhouette there (e.g. the side of an arm that touched the torso in the picture, turned
  // outward) would otherwise be cut by a gate interpolated at cell resolution — blurry stair-steps.
  const ringCut = g.node(
    'MaxPool',
    [g.node('Mul', [g.node('Sub', [ring1, claimedImg]), g.node('Sub', [one, ringOpen])])],
    { kernel_shape: [2, 2], strides: [1, 1] },
  ); // [1, 1, hc−1, wc−1]
  // …or parts overlap at some corner (a nearer limb over the head or body): a part behind is not in
  // the corners' blend at all, so only the per-pixel path can show it beside the near part's edge.
  const overlapCell = g.node('MaxPool', [g.node('Reshape', [overlap, gridShape1])], {
    kernel_shape: [2, 2],
    strides: [1, 1],
  }); // [1, 1, hc−1, wc−1]
  const isOpen = g.node('Greater', [
    g.node('Reshape', [cellOpen, g.constInt64([-1])]),
    g.constFloat([0], []),
  ]);
  const isSeam = g.node('And', [
    isOpen,
    g.node('Greater', [
      g.node('Reshape', [g.node('Max', [diverging, ringCut, overlapCell]), g.constInt64([-1])]),
      g.constFloat([0.02], []),
    ]),
  ]);
  const indicesOf = (cond: string) =>
    g.node('Reshape', [g.node('NonZero', [cond]), g.constInt64([-1])]);
  const openIdx = indicesOf(g.node('And', [isOpen, g.node('Not', [isSeam])]));
  // Cell 0 is appended here too (zero-size tensors would make the reshapes below ambiguous); it is
  // background in practice (the crop is padded by two strides) and composites as nothing.
  const seamIdx = g.node('Concat', [indicesOf(isSeam), g.constInt64([0])], { axis: 0 });
  // Cell 0 is always appended, so the tile tensors are never empty (it composites as nothing if closed).
  const smoothCells = g.node('Concat', [openIdx, g.constInt64([0])], { axis: 0 }); // [A]
  const cells = g.node('Concat', [smoothCells, seamIdx], { axis: 0 }); // [A + As]
  const wc = g.node('Slice', [cropGridShape, g.constInt64([3]), g.constInt64([4])]);
  const cellsPerRow = g.node('Sub', [wc, g.constInt64([1])]);
  /** The four corner indices (00, 01, 10, 11) of each cell in the coarse grid. */
  const cornersOf = (list: string) => {
    const cj = g.node('Div', [list, cellsPerRow]);
    const ci = g.node('Mod', [list, cellsPerRow]);
    const f00 = g.node('Add', [g.node('Mul', [cj, wc]), ci]);
    const f10 = g.node('Add', [f00, wc]);
    return [
      f00,
      g.node('Add', [f00, g.constInt64([1])]),
      f10,
      g.node('Add', [f10, g.constInt64([1])]),
    ];
  };
  /** [C, N] values at the coarse points → [A, C, stride²] bilinear values over each listed cell. */
  const expand = (flat: string, list: string) => {
    const corner = (idx: string) =>
      g.node('Unsqueeze', [g.node('Gather', [flat, idx], { axis: 1 }), axis1]); // [C, 1, A]
    const corners = g.node(
      'Transpose',
      [g.node('Concat', cornersOf(list).map(corner), { axis: 1 })],
      { perm: [2, 0, 1] },
    ); // [A, C, 4]
    return g.node('MatMul', [corners, tileWeights]); // [A, C, stride²]
  };
  const fieldFlat = g.node('Reshape', [fieldImg, g.constInt64([3, -1])]); // [3, hc·wc]
  const tiles = expand(fieldFlat, smoothCells); // [A, 3, stride²]
  const side = g.node(
    'Cast',
    [g.node('Sqrt', [g.node('Cast', [g.node('Shape', [tileWeights], { start: 1 })], { to: 1 })])],
    { to: 7 },
  );
  const gridRows = g.node('Concat', [g.constInt64([1, -1]), side, g.constInt64([2])], { axis: 0 });
  const gateRows = g.node('Concat', [g.constInt64([1, 1, -1]), side], { axis: 0 });
  const smoothGrid = g.node('Reshape', [
    g.node('Transpose', [g.node('Slice', [tiles, g.constInt64([0]), g.constInt64([2]), axis1])], {
      perm: [0, 2, 1],
    }),
    gridRows,
  ]); // [1, A·stride, stride, 2]
  const smoothGate = g.node('Reshape', [
    g.node('Slice', [tiles, g.constInt64([2]), g.constInt64([3]), axis1]),
    gateRows,
  ]); // [1, 1, A·stride, stride]
  // Seam cells, per full-resolution pixel q: every bone's own candidate source s_k = B_k·q and its
  // weight there σ_k = w_k(s_k), the same layer-biased choice as on the coarse grid, and the pixel
  // takes the source of the winning bone alone (a rigidly moved point of the picture, never a mix of
  // two distant places). The gate is that bone's own weight at its source (consistency of one part).
  const pointsFlat = g.node('Reshape', [pointsT, g.constInt64([3, -1])]); // [3, N]
  const q = g.node('Reshape', [
    g.node('Transpose', [expand(pointsFlat, seamIdx)], { perm: [0, 2, 1] }),
    g.constInt64([1, -1, 3]),
  ]); // [1, M, 3]
  // Only the CANDIDATES strongest parts of each seam cell (largest π at its open corners) are
  // evaluated per pixel, not all K: a seam cell holds two parts, three where a limb crosses a joint
  // of another (elbow over the head). Their weight maps are sampled from one tall atlas (the K
  // maps stacked with a zero row between them), so one single-channel GridSample serves them all.
  const scoreKC = g.node(
    'Gather',
    [
      g.node('Reshape', [
        cellPi,
        g.node('Concat', [g.node('Shape', [weights], { start: 0, end: 1 }), g.constInt64([-1])], {
          axis: 0,
        }),
      ]),
      seamIdx,
    ],
    { axis: 1 },
  ); // [K, As]
  const kCount = g.node('Shape', [weights], { start: 0, end: 1 });
  const picks: string[] = [];
  let score = scoreKC;
  for (let c = 0; c < CANDIDATES; c++) {
    const pick = g.node('ArgMax', [score], { axis: 0, keepdims: 1 }); // [1, As]
    picks.push(pick);
    if (c + 1 < CANDIDATES) {
      const hot = g.node('Reshape', [
        g.node('OneHot', [pick, kCount, g.constFloat([0, 1], [2])], { axis: 0 }),
        g.node('Shape', [score]),
      ]); // [K, As]
      score = g.node('Sub', [score, g.node('Mul', [hot, g.constFloat([4], [])])]);
    }
  }
  const cand = g.node('Concat', picks, { axis: 0 }); // [C, As] bone indices
  const qCells = g.node('Reshape', [
    q,
    g.node('Concat', [g.constInt64([1]), g.node('Shape', [seamIdx]), g.constInt64([-1, 3])], {
      axis: 0,
    }),
  ]); // [1, As, S, 3]
  // Both maps of each candidate at once: (x, y) in weight-grid and (x, y) in picture coordinates.
  const maps = g.node(
    'Concat',
    [bonesWeight, g.node('Transpose', [bonesPicture], { perm: [0, 2, 1] })],
    { axis: 2 },
  ); // [K, 3, 4]
  const allQ = g.node('MatMul', [qCells, g.node('Gather', [maps, cand], { axis: 0 })]); // [C, As, S, 4]
  // Atlas rows: map k's row r sits at r + k·(h+1); the rows just outside a map (−1, h) are zero
  // rows, so a source off the map is clamped onto them. Folded: y_atlas = clip(y)·α + α − 1 + k·γ.
  const hF = g.node('Cast', [g.node('Shape', [weights], { start: 2, end: 3 })], { to: 1 });
  const hm1 = g.node('Sub', [hF, one]);
  const rowsM1 = g.node('Sub', [
    g.node('Mul', [g.node('Add', [hF, one]), g.node('Cast', [kCount], { to: 1 })]),
    one,
  ]);
  const alphaY = g.node('Div', [hm1, rowsM1]);
  const gammaY = g.node('Div', [
    g.node('Mul', [g.node('Add', [hF, one]), g.constFloat([2], [])]),
    rowsM1,
  ]);
  const rowStep = g.node('Div', [g.constFloat([2], []), hm1]);
  // [C, As, S] planes (a trailing size-1 axis sends ORT's broadcasting down a slow path).
  const axis3 = g.constInt64([3]);
  const swX = g.node('Slice', [allQ, g.constInt64([0]), g.constInt64([1]), axis3]);
  const swY = g.node('Squeeze', [
    g.node('Slice', [allQ, g.constInt64([1]), g.constInt64([2]), axis3]),
    axis3,
  ]);
  const candF = g.node('Unsqueeze', [g.node('Cast', [cand], { to: 1 }), g.constInt64([2])]); // [C, As, 1]
  const atlasY = g.node('Add', [
    g.node('Mul', [
      g.node('Clip', [
        swY,
        g.node('Sub', [g.node('Neg', [one]), rowStep]),
        g.node('Add', [one, rowStep]),
      ]),
      alphaY,
    ]),
    g.node('Add', [g.node('Mul', [candF, gammaY]), g.node('Sub', [alphaY, one])]),
  ]);
  const atlas = g.node('Reshape', [
    g.node('Pad', [weights, g.constInt64([0, 0, 0, 0, 0, 0, 1, 0])]),
    g.constInt64([1, 1, -1, 0]),
  ]); // [1, 1, K·(h+1), w]
  const side2 = g.node('Shape', [tileWeights], { start: 1, end: 2 });
  const cas = g.node('Concat', [g.constInt64([CANDIDATES, -1]), side2], { axis: 0 });
  const sigmaQ = g.node('Reshape', [
    g.node(
      'GridSample',
      [
        atlas,
        g.node('Reshape', [
          g.node('Concat', [swX, g.node('Unsqueeze', [atlasY, axis3])], { axis: 3 }),
          g.constInt64([1, 1, -1, 2]),
        ]),
      ],
      { mode: 'bilinear', padding_mode: 'zeros', align_corners: 1 },
    ),
    cas,
  ]); // [C, As, S]
  // A bone's claim on q is its weight at its source times the picture's alpha there: a part's
  // fading weight just past its silhouette (transparent source) claims nothing, so it can neither
  // hide a part behind it nor win the layer bias with an empty pixel.
  const sQT = g.node('Reshape', [
    g.node('Slice', [allQ, g.constInt64([2]), g.constInt64([4]), g.constInt64([3])]),
    g.constInt64([CANDIDATES, -1, 2]),
  ]); // [C, M, 2] picture coords
  const alphaQ = g.node('Reshape', [
    g.node('GridSample', [alphaPlane, g.node('Unsqueeze', [sQT, axis0])], {
      mode: 'bilinear',
      padding_mode: 'zeros',
      align_corners: 1,
    }),
    g.node('Shape', [sigmaQ]),
  ]); // [C, 1, M]
  const biasQ = g.node('Reshape', [
    g.node('Gather', [layerBias, cand], { axis: 0 }),
    g.constInt64([CANDIDATES, -1, 1]),
  ]); // [C, As, 1]: broadcasts over the cell's pixels
  const claimQ = g.node('Mul', [sigmaQ, alphaQ]);
  const coverageQ = g.node('ReduceSum', [claimQ, axis0], { keepdims: 1 });
  const overlapQ = g.node('Clip', [
    g.node('Mul', [g.node('Sub', [coverageQ, g.constFloat([1.3], [])]), g.constFloat([2], [])]),
    g.constFloat([0], []),
    one,
  ]);
  // The layer bias only backs a claim strong enough to be drawn (its gate, below): a forearm's 8%
  // seam tail over the head must not beat the upper arm that owns the pixel.
  const gateAll = g.node('Clip', [
    g.node('Mul', [g.node('Sub', [sigmaQ, g.constFloat([0.1], [])]), g.constFloat([5], [])]),
    g.constFloat([0], []),
    one,
  ]); // [C, As, S]
  const logitsQ = g.node('Add', [
    g.node('Log', [g.node('Add', [claimQ, g.constFloat([1e-30], [])])]),
    g.node('Mul', [g.node('Mul', [biasQ, overlapQ]), gateAll]),
  ]);
  // The two strongest bones (by the biased logits) both sample the picture; the first is composited
  // over the second. Where the winner's source is transparent (just past its own silhouette, or a
  // nearer layer's fading edge over the head) the other part shows through instead of the plate.
  // (TopK has two outputs; the builder names one, so: argmax, then argmax with the winner masked.)
  const isMax = g.node('Equal', [
    logitsQ,
    g.node('ReduceMax', [logitsQ], { axes: [0], keepdims: 1 }),
  ]);
  // The part behind is the strongest claim among the others, layer-biased only where that claim is
  // strong enough to be drawn (as the winner's): a nearer layer's faint fringe (arm and forearm both
  // fading out beside the head) must not hide the head itself, but at an elbow over the head the
  // upper arm completing the half-gated forearm must (unbiased, the head won and showed through
  // the elbow as a brown smudge).
  const runnerLogits = g.node('Sub', [
    logitsQ,
    g.node('Mul', [g.node('Cast', [isMax], { to: 1 }), g.constFloat([1e30], [])]),
  ]);
  const topIdx = g.node(
    'Concat',
    [
      g.node('ArgMax', [logitsQ], { axis: 0, keepdims: 1 }),
      g.node('ArgMax', [runnerLogits], { axis: 0, keepdims: 1 }),
    ],
    { axis: 0 },
  ); // [2, 1, M]
  // Winner's and runner-up's sources: a flat Gather at candidate·M + pixel.
  const mCount = g.node('Shape', [q], { start: 1, end: 2 });
  const flatIdx = g.node('Add', [
    g.node('Mul', [g.node('Reshape', [topIdx, g.constInt64([2, -1])]), mCount]),
    g.node('Range', [
      g.constInt64([0], []),
      g.node('Squeeze', [mCount, axis0]),
      g.constInt64([1], []),
    ]),
  ]); // [2, M]
  const srcQ = g.node('Gather', [g.node('Reshape', [sQT, g.constInt64([-1, 2])]), flatIdx], {
    axis: 0,
  }); // [2, M, 2]: (winner, runner-up) × pixel × (x, y)
  // Where the two drawn parts take their sources far apart (a limb turned far from its rest), a
  // weak claim is a pixel that mostly belongs to the other part (an arm's weight fading into the
  // torso at the armpit): drawing it grows thin "wings" beside the raised limb. There a part needs
  // weight SEAM_GATE_FROM at its source; where the sources are close (a gently bent elbow), 0.1 as
  // on the coarse grid, so the outside of a bend does not open holes.
  const pxPerUnit = g.node('Mul', [
    g.node('Sub', [
      g.node('Cast', [g.node('Shape', [picture], { start: 3, end: 4 })], { to: 1 }),
      one,
    ]),
    g.constFloat([0.5], []),
  ]);
  const apart = g.node('Reshape', [
    g.node(
      'ReduceMax',
      [
        g.node('Abs', [
          g.node('Sub', [
            g.node('Slice', [srcQ, g.constInt64([0]), g.constInt64([1]), axis0]),
            g.node('Slice', [srcQ, g.constInt64([1]), g.constInt64([2]), axis0]),
          ]),
        ]),
      ],
      { axes: [2], keepdims: 0 },
    ),
    g.node('Concat', [g.constInt64([1, -1]), side2], { axis: 0 }),
  ]); // [1, As, S] normalized units
  const strict = g.node('Clip', [
    g.node('Div', [
      g.node('Sub', [g.node('Mul', [apart, pxPerUnit]), g.constFloat([10], [])]),
      g.constFloat([20], []),
    ]),
    g.constFloat([0], []),
    one,
  ]); // 0 when the sources are within 4 px, 1 beyond 16 px
  const sigmaTop = g.node('GatherElements', [sigmaQ, topIdx], { axis: 0 }); // [2, As, S]
  const gateQ = g.node('Clip', [
    g.node('Mul', [
      g.node('Sub', [
        sigmaTop,
        g.node('Add', [
          g.constFloat([0.1], []),
          g.node('Mul', [strict, g.constFloat([SEAM_GATE_FROM - 0.1], [])]),
        ]),
      ]),
      g.constFloat([5], []),
    ]),
    g.constFloat([0], []),
    one,
  ]); // [2, As, S]
  // Which parts drew each pixel, as bit masks (bit k = bone k; exact in float32): a smooth cell's
  // parts present at its open corners, a seam pixel's one part per layer. The compositor takes no
  // colour from picture pixels those parts do not own (src-shared/puppet/pixelOwners.ts): the
  // coarse weights blend across gaps a few pixels wide (a hanging arm beside the shirt), and a
  // limb turned far would otherwise carry the body's edge along as thin strands.
  const boneBits = g.constFloat(
    Array.from({ length: BONE_COUNT }, (_, k) => 2 ** k),
    [1, BONE_COUNT, 1, 1],
  );
  const cellBits = g.node('Reshape', [
    g.node('ReduceSum', [g.node('Mul', [present, boneBits]), axis1], { keepdims: 1 }),
    g.constInt64([-1]),
  ]); // [cells]
  const smoothParts = g.node('Reshape', [
    g.node('Expand', [
      g.node('Unsqueeze', [g.node('Gather', [cellBits, smoothCells], { axis: 0 }), axis1]),
      g.node('Concat', [g.constInt64([1]), side2], { axis: 0 }),
    ]),
    gateRows,
  ]); // [1, 1, A·stride, stride]
  const seamBone = g.node(
    'GatherElements',
    [
      g.node('Expand', [
        g.node('Unsqueeze', [cand, g.constInt64([2])]),
        g.node('Concat', [g.constInt64([CANDIDATES]), g.node('Shape', [seamIdx]), side2], {
          axis: 0,
        }),
      ]),
      g.node('Reshape', [
        topIdx,
        g.node('Concat', [g.constInt64([2]), g.node('Shape', [seamIdx]), side2], { axis: 0 }),
      ]),
    ],
    { axis: 0 },
  ); // [2, As, S]
  const seamParts = g.node('Pow', [g.constFloat([2], []), g.node('Cast', [seamBone], { to: 1 })]);
  const tileParts = g.node('Concat', [smoothParts, g.node('Reshape', [seamParts, gateRows])], {
    axis: 2,
  });
  const seamGrid = g.node('Reshape', [srcQ, gridRows]); // [1, 2·As·stride, stride, 2]
  const tileGrid = g.node('Concat', [smoothGrid, seamGrid], { axis: 1 });
  const tileGate = g.node('Concat', [smoothGate, g.node('Reshape', [gateQ, gateRows])], {
    axis: 2,
  });
  g.output(tileGrid, 'grid', 'float32', [1, 'tileRows', 'stride', 2]);
  g.output(tileGate, 'gate', 'float32', [1, 1, 'tileRows', 'stride']);
  g.output(cells, 'cells', 'int64', ['A']);
  g.output(tileParts, 'parts', 'float32', [1, 1, 'tileRows', 'stride']);
  if (options.debug) {
    g.output(fieldImg, 'debug_field', 'float32', [1, 3, 'hc', 'wc']);
    g.output(coverage, 'debug_coverage', 'float32', [1, 1, 'N']);
    g.output(consistency, 'debug_consistency', 'float32', [1, 1, 'N']);
    g.output(sigma, 'debug_sigma', 'float32', ['K', 1, 'N']);
    g.output(seamIdx, 'debug_seam_cells', 'int64', ['As']);
    g.output(cand, 'debug_candidates', 'int64', [CANDIDATES, 'As']);
    g.output(topIdx, 'debug_top', 'int64', [2, 'As', 'S']);
    g.output(sigmaQ, 'debug_sigma_q', 'float32', [CANDIDATES, 'As', 'S']);
    g.output(alphaQ, 'debug_alpha_q', 'float32', [CANDIDATES, 'As', 'S']);
    g.output(piExt, 'debug_pi', 'float32', [1, 'K', 'hc', 'wc']);
    g.output(gate, 'debug_gate', 'float32', [1, 1, 'hc', 'wc']);
  }
  return g.toBytes(
    PUPPET_WARP_OPSET,
    'Pose Studio puppet warp: backward LBS with layer bias on a coarse grid; per-pixel sources and gates of the cells the character touches.',
  );
}
