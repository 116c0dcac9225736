import { Type } from 'typebox';

/** Caller references: opaque ids of the ATS, never personal data (they travel in webhooks). */
const Reference = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$', description });

export const OmniStartBody = Type.Object({
  externalId: Type.Optional(Reference('Your id for this verification (e.g. the application id); returned in every result and webhook')),
  externalCustomerId: Type.Optional(Reference('Your id for the person (e.g. the candidate id)')),
  identityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Re-verify this identity with a selfie (a flow with mode reverify or auto): one verified in an earlier session of yours (`identityId` in GET /v1/sessions/{id})' })),
  configurationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A named flow (docs/integrations/ats.md); default `default`' })),
  redirectionUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2048, description: 'Where the hosted page sends the person when they are done (https; http on localhost or in demo)' })),
  candidate: Type.Optional(Type.Object({
    // No control characters or line breaks: the name is written into the e-mail sent to the person,
    // where line breaks would let a caller lay out a message of its own under verid's sender.
    name: Type.Optional(Type.String({
      minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]+$',
      description: 'The name you expect on the document: it must match (middle names, accents and order tolerated); one line, no control characters',
    })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Where the link is sent with notification EMAIL' })),
    phone: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164 number for notification SMS' })),
  }, { additionalProperties: false, description: 'Who the verification is for (personal data: stored encrypted, never in webhooks)' })),
  notification: Type.Optional(Type.Union([Type.Literal('EMAIL'), Type.Literal('SMS'), Type.Literal('NONE')], { description: 'How verid delivers the link (default NONE: you deliver `url`)' })),
  demo: Type.Optional(Type.Object({
    expiresInSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'The session expires this soon (to test the expired outcome)' }),
  }, { additionalProperties: false, description: 'Demo clients only (docs/testing.md); a production client gets 400' })),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')], { description: 'Language of the message sent to the person' })),
}, { additionalProperties: false });

export const OmniStartResponse = Type.Object({
  token: Type.String({ description: 'The session\'s capture token (Bearer for the capture endpoints): give it only to the person\'s device' }),
  interviewId: Type.String(),
  interviewCode: Type.String({ description: 'Short code the person can type at /start instead of opening the link' }),
  url: Type.String({ description: 'The hosted page for the person; the token travels in the fragment, which browsers never send to servers' }),
  env: Type.Union([Type.Literal('demo'), Type.Literal('production')]),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const InterviewQuery = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'The interviewId' }),
}, { additionalProperties: false });

export const StatusSetQuery = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'The interviewId' }),
  action: Type.Literal('Closed', { description: 'Closed: freeze a decided session' }),
}, { additionalProperties: false });

const Overall = Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), status: Type.String() });

export const DeliveryView = Type.Object({
  channel: Type.Union([Type.Literal('EMAIL'), Type.Literal('SMS')]),
  status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')], {
    description: 'queued: waiting or being retried; sent: the SMTP server or SMS gateway accepted it; failed: refused, or every try failed (webhook link.delivery_failed)',
  }),
  attempts: Type.Integer({ description: 'Tries of the latest request (start or re-send)' }),
}, { description: 'How the link verid sends stands; null with notification NONE' });

export const SessionView = Type.Object({
  interviewId: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  externalCustomerId: Type.Union([Type.String(), Type.Null()]),
  configurationId: Type.Union([Type.String(), Type.Null()]),
  environment: Type.Union([Type.Literal('demo'), Type.Literal('production')]),
  state: Type.String({ description: 'verid session state (docs/sessions.md)' }),
  onboardingStatus: Type.String({ description: 'Omni onboarding status (docs/webhooks.md)' }),
  reasons: Type.Array(Type.String()),
  identityId: Type.Union([Type.String(), Type.Null()], { description: 'The verified identity, once the session succeeded (or was approved): name it in a later /omni/start to re-verify with a selfie' }),
  overall: Overall,
  notification: Type.Union([Type.String(), Type.Null()]),
  delivery: Type.Union([DeliveryView, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const SessionListQuery = Type.Object({
  state: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'Comma-separated states' })),
  externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  environment: Type.Optional(Type.Union([Type.Literal('demo'), Type.Literal('production')], { description: 'A client has one environment: another one lists nothing' })),
  createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
  createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1–100, default 25' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: '`nextCursor` of the previous page' })),
}, { additionalProperties: false });

export const SessionListResponse = Type.Object({
  data: Type.Array(SessionView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const OnboardingStatusResponse = Type.Object({
  interviewId: Type.String(),
  onboardingStatus: Type.String(),
  state: Type.String(),
  env: Type.Union([Type.Literal('demo'), Type.Literal('production')]),
});

export const ImagesResponse = Type.Object({
  interviewId: Type.String(),
  images: Type.Record(Type.String(), Type.Object({ contentType: Type.String(), base64: Type.String() }), { description: 'front, back, face: those still kept' }),
});

export const ResendResponse = Type.Object({
  interviewId: Type.String(),
  delivery: DeliveryView,
});

export const ActionResponse = Type.Object({
  success: Type.Boolean(),
  interviewId: Type.String(),
  state: Type.String(),
});
