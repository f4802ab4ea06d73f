import { useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { ApiError } from '#shared/api/errors';
import { PICTURE_PART_BYTES, pictureSizeProblem } from '#shared/api/sizeLimits';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { SkeletonOverlay } from '../components/SkeletonOverlay';
import { useDropZone } from '../components/DropZone';
import { PictureReplacedNote, type PictureReplaced } from '../components/PictureReplacedNote';
import { detectedText, pictureAspect } from './characterText';
import type { CharacterMaskView } from '#shared/api/characterMask';
import { CharacterMaskCard } from './CharacterMaskCard';
import { MaskCanvas } from './mask/MaskCanvas';
import {
  nextUndoLabel,
  recordCharacterChange,
  useHistoryShortcuts,
  walkHistory,
} from '../editor/characterHistory';

/**
 * Sends a picture over the API: whole when small, else in parts of PICTURE_PART_BYTES under a
 * random upload id, so no single WebSocket frame carries a large picture.
 */
async function sendPicture(file: File) {
  if (file.size <= PICTURE_PART_BYTES)
    return api.call('character.importPicture', {
      fileName: file.name,
      dataBase64: await readBase64(file),
    });
  // getRandomValues, not randomUUID: a page served to another machine over http is not a
  // secure context, and randomUUID exists only in secure ones.
  const uploadId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  for (let offset = 0; offset < file.size; offset += PICTURE_PART_BYTES) {
    const part = file.slice(offset, offset + PICTURE_PART_BYTES);
    await api.call('character.uploadPicturePart', {
      uploadId,
      offset,
      total: file.size,
      dataBase64: await readBase64(part),
    });
  }
  return api.call('character.importPicture', { fileName: file.name, uploadId });
}

function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () =>
      reject(new Error(`could not read ${file instanceof File ? file.name : 'the picture'}`));
    reader.readAsDataURL(file);
  });
}

/** The character: its picture with the skeleton on top, its mask, import and joint fixes. */
export function CharacterPanel() {
  const character = useStudio((s) => s.character);
  const version = useStudio((s) => s.characterVersion);
  const [showSkeleton, setShowSkeleton] = useState(true);
  const input = useRef<HTMLInputElement>(null);
  const [detecting, setDetecting] = useState(false);
  const [detected, setDetected] = useState<string | null>(null);
  const [replaced, setReplaced] = useState<PictureReplaced | null>(null);
  const [mask, setMask] = useState<CharacterMaskView | null>(null);
  // Ctrl+Z here walks the project's one history (the Editor's), character steps included.
  useHistoryShortcuts();

  const update = (c: Awaited<ReturnType<typeof api.call<'character.get'>>> | undefined) => {
    if (!c) return;
    useStudio.setState((s) => ({ character: c, characterVersion: s.characterVersion + 1 }));
    setMask(null); // a new picture or pose: the checked mask is stale
  };

  const importPicture = async (file: File) => {
    const before = character?.picture
      ? { fileName: file.name, picture: character.picture, mask: character.mask }
      : null;
    const after = await attempt(async () => {
      // Checked before reading: a picture over the contract's limit is never read or sent.
      const problem = pictureSizeProblem(file.name, file.size);
      if (problem) throw new ApiError('bad-request', problem.message, problem.hint);
      return sendPicture(file);
    });
    update(after);
    if (after) setReplaced(before);
    await recordCharacterChange(`Replace picture with ${file.name}`, character, after);
  };
  // A picture dropped anywhere on the view replaces the character's picture (undoable).
  const drop = useDropZone('character', (f) => void importPicture(f));

  /** Only ever on the user's click: the detected person replaces the reference pose (saved). */
  const detectPose = async () => {
    setDetecting(true);
    setDetected(null);
    try {
      const r = await attempt(() => api.call('character.detectPose', {}));
      if (!r) return;
      update(r.character);
      setDetected(detectedText(r));
      // An empty track starts from the detected pose (one undo step with the detection).
      await recordCharacterChange('Detect pose', character, r.character, { seed: true });
    } finally {
      setDetecting(false);
    }
  };

  const undoDetect = async () => {
    setDetected(null);
    if ((await nextUndoLabel()) === 'Detect pose') return walkHistory('undo');
    update(await attempt(() => api.call('character.undoDetectPose', {})));
  };

  if (!character) {
    return <Typography color="text.secondary">Loading the character…</Typography>;
  }
  const aspect = pictureAspect(character.pictureWidth, character.pictureHeight);
  return (
    <Stack spacing={2} sx={{ position: 'relative', minHeight: '100%' }} {...drop.handlers}>
      {drop.shown}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {character.name}
        </Typography>
        <FormControlLabel
          control={
            <Switch checked={showSkeleton} onChange={(e) => setShowSkeleton(e.target.checked)} />
          }
          label="Skeleton"
        />
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importPicture(f);
            e.target.value = '';
          }}
        />
        <Button
          variant="outlined"
          disabled={!character.picture || detecting}
          onClick={() => void detectPose()}
          startIcon={detecting ? <CircularProgress size={16} /> : undefined}
          data-testid="detect-pose"
          title="Find the person in the picture and use their pose as the character's skeleton"
        >
          {detecting ? 'Detecting…' : 'Detect pose'}
        </Button>
        <Button
          variant="contained"
          onClick={() => input.current?.click()}
          data-testid="import-picture"
        >
          Import picture…
        </Button>
      </Stack>
      {replaced && (
        <PictureReplacedNote
          replaced={replaced}
          onUndo={async () => {
            // Only while the replacement is still the last step of the project's history.
            if ((await nextUndoLabel()) === `Replace picture with ${replaced.fileName}`)
              await walkHistory('undo');
          }}
          onClose={() => setReplaced(null)}
        />
      )}
      {detected && (
        <Alert
          severity="success"
          onClose={() => setDetected(null)}
          data-testid="detect-result"
          action={
            <Button
              color="inherit"
              size="small"
              onClick={() => void undoDetect()}
              data-testid="undo-detect"
            >
              Undo
            </Button>
          }
        >
          {detected}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 2 }}>
        <Card>
          <CardContent>
            <Typography variant="subtitle2" gutterBottom>
              Picture and skeleton {showSkeleton && '— drag a body joint to fix it'}
            </Typography>
            {character.picture ? (
              <Box
                sx={{
                  position: 'relative',
                  aspectRatio: aspect,
                  maxHeight: '70vh',
                  mx: 'auto',
                  bgcolor: '#2a2e36',
                }}
              >
                <img
                  src={api.mediaUrl(character.picture, version)}
                  alt={character.name}
                  style={{
                    position: 'absolute',
                    inset: 0,
                    width: '100%',
                    height: '100%',
                    objectFit: 'contain', // placed as the skeleton's SVG places it (aspect kept)
                  }}
                  data-testid="character-picture"
                />
                <MaskCanvas />
                {showSkeleton && (
                  <SkeletonOverlay
                    width={character.pictureWidth}
                    height={character.pictureHeight}
                    joints={character.joints}
                    onMove={(index, x, y) =>
                      void attempt(() => api.call('character.moveJoint', { index, x, y })).then(
                        (after) => {
                          update(after);
                          const name = after?.joints.find((j) => j.index === index)?.name;
                          void recordCharacterChange(`Move ${name ?? 'joint'}`, character, after);
                        },
                      )
                    }
                  />
                )}
              </Box>
            ) : (
              <Typography color="text.secondary">
                No picture yet: import a PNG or JPEG of your character.
              </Typography>
            )}
          </CardContent>
        </Card>
        <CharacterMaskCard
          character={character}
          mask={mask}
          onCharacter={update}
          onMask={setMask}
        />
      </Box>
    </Stack>
  );
}
