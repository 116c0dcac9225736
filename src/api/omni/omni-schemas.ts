import { Type } from 'typebox';

const CheckStatus = Type.Union([Type.Literal('OK'), Type.Literal('WARN'), Type.Literal('FAIL'), Type.Literal('UNKNOWN')]);
const Overall = Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), status: CheckStatus });
const ScoreItem = Type.Object({
  key: Type.String(),
  value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  status: CheckStatus,
});

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable machine-readable error code' }),
    message: Type.String({ description: 'Readable explanation (never contains personal data)' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
}, { $id: 'ErrorResponse' });

export const ImageBody = Type.Object({
  base64Image: Type.String({ minLength: 1, description: 'The image (JPEG, PNG or WebP), base64-encoded; a data: URL prefix is accepted' }),
}, { additionalProperties: false });

export const SessionStateResponse = Type.Object({
  interviewId: Type.String(),
  state: Type.String({ description: 'Session state (see docs/sessions.md)' }),
});

export const ConsentBody = Type.Object({
  accepted: Type.Boolean({ description: 'true: the person agreed to the processing as described; false: they declined (the session ends)' }),
  version: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$', description: 'Version of the consent text the person was shown' }),
}, { additionalProperties: false });

export const ConsentResponse = Type.Object({
  interviewId: Type.String(),
  state: Type.String(),
  consentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  consentVersion: Type.Union([Type.String(), Type.Null()]),
});

export const ImageAddedResponse = Type.Object({
  interviewId: Type.String(),
  state: Type.String(),
  kind: Type.Union([Type.Literal('front'), Type.Literal('back'), Type.Literal('face')]),
  bytes: Type.Integer(),
});

export const ProcessIdResponse = Type.Object({
  interviewId: Type.String(),
  state: Type.String(),
  documentFound: Type.Boolean(),
  mrzValid: Type.Boolean({ description: 'An MRZ was read and every check digit passed (false for driver licences, which carry a barcode instead)' }),
  dataValid: Type.Boolean({ description: 'The machine-readable data — MRZ, or the PDF417 barcode of a licence — was read and passed every check' }),
  overall: Overall,
  idSpecific: Type.Array(ScoreItem),
  photoSecurityAndQuality: Type.Array(ScoreItem),
  reasons: Type.Array(Type.String()),
  messages: Type.Array(Type.String(), { description: 'One user-facing sentence per reason code' }),
  retryable: Type.Boolean({ description: 'The problems are about the photo: ask the person for a new one and process again' }),
  attempts: Type.Integer(),
});

export const ProcessFaceResponse = Type.Object({
  interviewId: Type.String(),
  state: Type.String(),
  overall: Overall,
  similarity: Type.Union([Type.Number(), Type.Null()]),
  reasons: Type.Array(Type.String()),
  messages: Type.Array(Type.String()),
  retryable: Type.Boolean({ description: 'The selfie must be retaken (the session is still open): upload a new one and process again' }),
});

const RevealedStep = Type.Object({
  index: Type.Integer({ description: 'Position of the step in the challenge, from 0' }),
  action: Type.String({ description: 'What to do now: turn_left, turn_right or blink (the person\'s own left/right; send unmirrored frames)' }),
  deadlineAt: Type.String({ format: 'date-time', description: 'Finish the step (done: true) by then, by server time' }),
});

export const ChallengeResponse = Type.Object({
  challengeId: Type.String(),
  totalSteps: Type.Integer({ description: 'How many steps the challenge has; each is revealed only when the previous one is finished' }),
  step: RevealedStep,
  expiresAt: Type.String({ format: 'date-time' }),
  stepMinMs: Type.Integer({ description: 'A step finished sooner after it was revealed fails the challenge' }),
  maxChunkFrames: Type.Integer(),
});

export const ChallengeFramesBody = Type.Object({
  challengeId: Type.String({ minLength: 1, maxLength: 64 }),
  step: Type.Integer({ minimum: 0, maximum: 16, description: 'The step being performed (the last one revealed)' }),
  done: Type.Boolean({ description: 'The step is finished: reveal the next one, or judge the challenge after the last' }),
  frames: Type.Array(Type.Object({
    base64Image: Type.String({ minLength: 1 }),
    timestamp: Type.Optional(Type.Number({ description: 'Capture time, epoch ms. Informational only: order and timing are the server\'s' })),
  }, { additionalProperties: false }), { maxItems: 40 }),
}, { additionalProperties: false });

export const ChallengeStepResponse = Type.Object({
  challengeId: Type.String(),
  status: Type.Union([Type.Literal('IN_PROGRESS'), Type.Literal('OK'), Type.Literal('FAIL')]),
  next: Type.Union([RevealedStep, Type.Null()], { description: 'IN_PROGRESS after a finished step: the step to perform now' }),
  reasons: Type.Array(Type.String()),
  messages: Type.Array(Type.String()),
  livenessScore: Type.Union([Type.Number(), Type.Null()]),
});

export const ScoresResponse = Type.Object({
  overall: Overall,
  idValidation: Type.Object({ photoSecurityAndQuality: Type.Array(ScoreItem), idSpecific: Type.Array(ScoreItem), overall: Overall }),
  liveness: Type.Object({
    overall: Overall, livenessScore: Type.Union([Type.Number(), Type.Null()]), activeChallenge: CheckStatus, photoQuality: CheckStatus,
  }),
  faceRecognition: Type.Object({
    overall: Overall,
    similarity: Type.Union([Type.Number(), Type.Null()]),
    threshold: Type.Union([Type.Number(), Type.Null()]),
    existingUser: Type.Union([Type.Boolean(), Type.Null()]),
    existingInterviewId: Type.Union([Type.String(), Type.Null()]),
    nameMatch: CheckStatus,
  }),
  authentication: Type.Union([Type.Object({ overall: Overall, identityId: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  reasons: Type.Array(Type.String()),
  state: Type.String(),
});

export const OcrDataResponse = Type.Object({
  documentType: Type.String(),
  issuingCountry: Type.String(),
  nationality: Type.String(),
  documentNumber: Type.String(),
  surname: Type.String(),
  givenNames: Type.String(),
  birthDate: Type.Union([Type.String(), Type.Null()]),
  expiryDate: Type.Union([Type.String(), Type.Null()]),
  sex: Type.String(),
});
