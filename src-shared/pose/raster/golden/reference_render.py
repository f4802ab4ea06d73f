# Reference renderer: controlnet_aux draw_bodypose/draw_handpose/draw_facepose semantics on real OpenCV,
# with pixel coordinates (int(x) instead of int(x_norm * W)).
import sys, json, math
import numpy as np, cv2

LIMBS = [[1,2],[1,5],[2,3],[3,4],[5,6],[6,7],[1,8],[8,9],[9,10],[1,11],[11,12],[12,13],[1,0],[0,14],[14,16],[0,15],[15,17]]
COLORS = [[255, 0, 0], [255, 85, 0], [255, 170, 0], [255, 255, 0], [170, 255, 0], [85, 255, 0], [0, 255, 0],
          [0, 255, 85], [0, 255, 170], [0, 255, 255], [0, 170, 255], [0, 85, 255], [0, 0, 255], [85, 0, 255],
          [170, 0, 255], [255, 0, 255], [255, 0, 170], [255, 0, 85]]
HAND_EDGES = [[0,1],[1,2],[2,3],[3,4],[0,5],[5,6],[6,7],[7,8],[0,9],[9,10],[10,11],[11,12],[0,13],[13,14],[14,15],[15,16],[0,17],[17,18],[18,19],[19,20]]
eps = 0.01

def hsv_to_rgb(h, s, v):
    # matplotlib.colors.hsv_to_rgb for one colour, float64 steps
    h = np.array([h]); s = np.array([s]); v = np.array([v])
    i = (h * 6.0).astype(int); f = (h * 6.0) - i
    p = v * (1.0 - s); q = v * (1.0 - s * f); t = v * (1.0 - s * (1.0 - f))
    r = np.empty_like(h); g = np.empty_like(h); b = np.empty_like(h)
    idx = i % 6 == 0; r[idx] = v[idx]; g[idx] = t[idx]; b[idx] = p[idx]
    idx = i == 1; r[idx] = q[idx]; g[idx] = v[idx]; b[idx] = p[idx]
    idx = i == 2; r[idx] = p[idx]; g[idx] = v[idx]; b[idx] = t[idx]
    idx = i == 3; r[idx] = p[idx]; g[idx] = q[idx]; b[idx] = v[idx]
    idx = i == 4; r[idx] = t[idx]; g[idx] = p[idx]; b[idx] = v[idx]
    idx = i == 5; r[idx] = v[idx]; g[idx] = p[idx]; b[idx] = q[idx]
    idx = s == 0; r[idx] = v[idx]; g[idx] = v[idx]; b[idx] = v[idx]
    return np.stack([r, g, b], axis=-1)[0]

def render(case):
    W, H = case['w'], case['h']
    canvas = np.zeros((H, W, 3), np.uint8)
    sw = case['minor']
    for pts in case['people']:
        P = [None if pts[k*3+2] <= 0 else (pts[k*3], pts[k*3+1]) for k in range(136)]
        for (a, b), color in zip(LIMBS, COLORS):
            if P[a] is None or P[b] is None: continue
            Y = np.array([P[a][0], P[b][0]]); X = np.array([P[a][1], P[b][1]])
            mX = np.mean(X); mY = np.mean(Y)
            length = ((X[0] - X[1]) ** 2 + (Y[0] - Y[1]) ** 2) ** 0.5
            angle = math.degrees(math.atan2(X[0] - X[1], Y[0] - Y[1]))
            polygon = cv2.ellipse2Poly((int(mY), int(mX)), (int(length / 2), sw), int(angle), 0, 360, 1)
            cv2.fillConvexPoly(canvas, polygon, [int(float(c) * 0.6) for c in color])
        for k in range(18):
            if P[k] is None: continue
            cv2.circle(canvas, (int(P[k][0]), int(P[k][1])), 4, COLORS[k], thickness=-1)
        if case.get('hands', True):
            for start in (94, 115):
                kp = P[start:start+21]
                for ie, (e1, e2) in enumerate(HAND_EDGES):
                    k1, k2 = kp[e1], kp[e2]
                    if k1 is None or k2 is None: continue
                    x1, y1, x2, y2 = int(k1[0]), int(k1[1]), int(k2[0]), int(k2[1])
                    if x1 > eps and y1 > eps and x2 > eps and y2 > eps:
                        cv2.line(canvas, (x1, y1), (x2, y2), hsv_to_rgb(ie / float(len(HAND_EDGES)), 1.0, 1.0) * 255, thickness=2)
                for k in kp:
                    if k is None: continue
                    x, y = int(k[0]), int(k[1])
                    if x > eps and y > eps:
                        cv2.circle(canvas, (x, y), 4, (0, 0, 255), thickness=-1)
        if case.get('face', True):
            for k in P[24:94]:
                if k is None: continue
                x, y = int(k[0]), int(k[1])
                if x > eps and y > eps:
                    cv2.circle(canvas, (x, y), 3, (255, 255, 255), thickness=-1)
    return canvas

if __name__ == '__main__':
    cases = json.load(open(sys.argv[1]))
    with open(sys.argv[2], 'wb') as f:
        for c in cases:
            f.write(render(c).tobytes())
