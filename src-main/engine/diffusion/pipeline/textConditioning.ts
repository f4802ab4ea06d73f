import * as ort from 'onnxruntime-node';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import type { TextConditioning } from './denoiser';
import { readFloats } from './tensors';

/** Runs the text encoder on a prompt (and the negative prompt when guidance is on). */
export async function encodePrompt(
  pack: OpenPack,
  prompt: string,
  negativePrompt: string | null,
): Promise<TextConditioning> {
  const embed = async (text: string) => {
    const { ids } = pack.tokenizer.encodeForTextEncoder(text);
    const input =
      pack.signatures.textEncoder.idsType === 'int32'
        ? new ort.Tensor('int32', ids, [1, ids.length])
        : new ort.Tensor(
            'int64',
            BigInt64Array.from(ids, (v) => BigInt(v)),
            [1, ids.length],
          );
    const { idsName, hiddenName } = pack.signatures.textEncoder;
    const out = await pack.sessions.textEncoder.run({ [idsName]: input }, [hiddenName]);
    const hidden = out[hiddenName]!;
    return {
      data: readFloats(hidden).slice(),
      tokens: Number(hidden.dims[1]),
      dim: Number(hidden.dims[2]),
    };
  };
  const cond = await embed(prompt);
  const uncond = negativePrompt === null ? null : (await embed(negativePrompt)).data;
  return { cond: cond.data, uncond, tokens: cond.tokens, dim: cond.dim };
}
