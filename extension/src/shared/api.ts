// The server's wire types, taken from openapi.yaml (api.gen.ts is generated from it on every build).
//
// Each type is read from the spec by path and method, so a spec change that breaks the extension —
// a renamed field, a path that goes away — fails `tsc` (a missing path turns the type into `never`).
import type { components, paths } from './api.gen';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Op<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;

/** The JSON body of the 200 (else 201, else 202) response of `M P`. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { responses: infer Rs }
  ? 200 extends keyof Rs ? Json<Rs[200]> : 201 extends keyof Rs ? Json<Rs[201]> : 202 extends keyof Rs ? Json<Rs[202]> : never
  : never;

/** The JSON request body of `M P`. */
export type RequestOf<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { requestBody?: infer B }
  ? Json<NonNullable<B>> : never;

export type TokenPair = ResponseOf<'/v1/auth/login', 'post'>;
export type Me = ResponseOf<'/v1/me', 'get'>;
export type MePatch = RequestOf<'/v1/me', 'patch'>;
export type LookupResult = ResponseOf<'/v1/lookup', 'get'>;
export type LookupBatch = ResponseOf<'/v1/lookup', 'post'>;
export type Person = NonNullable<LookupResult['person']>;
export type Summary = ResponseOf<'/v1/summary', 'get'>;
export type ObligationPage = ResponseOf<'/v1/obligations', 'get'>;
export type Obligation = ObligationPage['items'][number];
export type InteractionCreate = RequestOf<'/v1/interactions', 'post'>;
export type InteractionPage = ResponseOf<'/v1/interactions', 'get'>;
export type Interaction = InteractionPage['items'][number];
export type InteractionBatchResult = ResponseOf<'/v1/interactions/batch', 'post'>;
export type ContactPage = ResponseOf<'/v1/contacts', 'get'>;
export type Contact = ContactPage['items'][number];
export type IdentityList = ResponseOf<'/v1/me/identities', 'get'>;
export type Identity = IdentityList['items'][number];
export type ImportCreated = ResponseOf<'/v1/imports', 'post'>;
export type ImportStatus = ResponseOf<'/v1/imports/{id}', 'get'>;
export type ImportFormat = components['schemas']['ImportFormat'];
export type InteractionKind = InteractionCreate['kind'];
export type Direction = InteractionCreate['direction'];
export type BadgeColor = Person['badge']['color'];
