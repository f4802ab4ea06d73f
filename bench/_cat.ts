import sharp from 'sharp';
const [out, ...ins] = process.argv.slice(2);
const metas = await Promise.all(ins.map((p) => sharp(p!).metadata()));
let left = 0; const comp = ins.map((p, i) => { const c = { input: p!, left, top: 0 }; left += metas[i]!.width! + 4; return c; });
await sharp({ create: { width: left, height: Math.max(...metas.map((m) => m.height!)), channels: 3, background: '#888' } }).composite(comp).png().toFile(out!);
