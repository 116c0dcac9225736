import { Type } from 'typebox';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$', description });

export const EmployeeBody = Type.Object({
  employeeId: Type.Optional(Id('Your directory\'s id for the employee (the upsert key)')),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Work e-mail (the upsert key without employeeId); where links are sent' })),
  displayName: Type.String({ minLength: 1, maxLength: 200, description: 'The name the directory knows: the document must match it at enrolment' }),
  phone: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, for links by SMS' })),
}, { additionalProperties: false });

export const EmployeeView = Type.Object({
  id: Type.String({ description: 'verid\'s id of the employee record' }),
  employeeId: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  enrolled: Type.Boolean({ description: 'Bound to a verified identity: requests re-verify with a selfie' }),
  identityId: Type.Union([Type.String(), Type.Null()]),
  environment: Type.Union([Type.Literal('demo'), Type.Literal('production')]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1–100, default 25' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const EmployeeList = Type.Object({ data: Type.Array(EmployeeView), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const EmployeeRef = Type.Union([
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ employeeId: Id('Your directory id') }, { additionalProperties: false }),
  Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
], { description: 'Which employee: verid\'s id, your employeeId, or the e-mail' });

const Reason = Type.Union([Type.Literal('helpdesk'), Type.Literal('privileged_access'), Type.Literal('itsm'), Type.Literal('other')]);
const Notification = Type.Union([Type.Literal('EMAIL'), Type.Literal('SMS'), Type.Literal('NONE')]);

export const VerificationBody = Type.Object({
  employee: EmployeeRef,
  reason: Reason,
  reference: Type.Optional(Id('Your reference (ticket number, access request id); returned in results, webhooks and the receipt')),
  mode: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('reverify'), Type.Literal('enroll')], {
    description: 'auto (default): a selfie against the bound face when the employee is enrolled, else document + selfie',
  })),
  notification: Type.Optional(Notification),
  expiresIn: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400, description: 'Seconds the request stays open (default VERID_B2B_REQUEST_TTL_SECONDS)' })),
}, { additionalProperties: false });

export const RequestNewBody = Type.Object({
  loginHint: Type.String({ minLength: 1, maxLength: 254, description: 'The employee: e-mail or your employeeId' }),
  integrationReference: Type.Optional(Id('Your reference')),
  notification: Type.Optional(Type.Object({ type: Notification }, { additionalProperties: false })),
  reason: Type.Optional(Reason),
}, { additionalProperties: false });

export const VerificationView = Type.Object({
  interviewId: Type.String(),
  interviewCode: Type.Union([Type.String(), Type.Null()], { description: 'While open: the code the employee types at /start (read it to them on the phone)' }),
  token: Type.Optional(Type.String({ description: 'Only in the answer that creates the request: the capture token' })),
  url: Type.Optional(Type.String({ description: 'Only in the answer that creates the request: the link for the employee' })),
  status: Type.String({ description: 'verid session state' }),
  onboardingStatus: Type.String(),
  outcome: Type.Union([Type.Literal('pending'), Type.Literal('verified'), Type.Literal('not_verified'), Type.Literal('in_review')]),
  mode: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  environment: Type.Union([Type.Literal('demo'), Type.Literal('production')]),
  employee: Type.Union([Type.Object({ id: Type.String(), employeeId: Type.Union([Type.String(), Type.Null()]), displayName: Type.String() }), Type.Null()]),
  identityId: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.Array(Type.String()),
  amr: Type.Array(Type.String()),
  overall: Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), status: Type.String() }),
  scores: Type.Record(Type.String(), Type.Unknown(), { description: 'Every check\'s status, as GET /omni/get/score (no personal data)' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  receipt: Type.Union([Type.String(), Type.Null()], { description: 'Once decided: a JWT signed with verid\'s keys (check it against /oauth2/jwks)' }),
});

export const VerificationListQuery = Type.Object({
  employee: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'verid\'s employee id' })),
  reason: Type.Optional(Reason),
  state: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$' })),
  createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
  createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const VerificationList = Type.Object({ data: Type.Array(VerificationView), nextCursor: Type.Union([Type.String(), Type.Null()]) });
