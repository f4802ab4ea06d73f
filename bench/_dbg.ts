import sharp from 'sharp';
import { pickMarkerColours, findMarker } from '#shared/puppet/checks/markers';
const dir = process.argv[2]!;
const plain = await sharp(`${dir}/char4-plain.png`).raw().toBuffer();
const cols = pickMarkerColours(new Uint8Array(plain), 4, 14);
console.log(JSON.stringify(cols));
const m = await sharp(`${dir}/char4-markers.png`).flatten({background:'#ffffff'}).raw().toBuffer({resolveWithObject:true});
for (const c of cols) { const f = findMarker(new Uint8Array(m.data), 512, 512, c, [0,0]); console.log(c, f.ghostPixels); }
