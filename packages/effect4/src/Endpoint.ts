/**
 * Where each operation goes on the wire: its HTTP method, its path (ids percent-encoded so that none can
 * leave its own segment) and its query. Shared by the HTTP client, the in-memory fake (so both describe a
 * request the same way in errors) and the emulator. The rules themselves live in `@effect-scenario/kernel`
 * (`Endpoint`), shared with every binding; this module is that one, as it was.
 *
 * | operation    | method | path                                                |
 * |--------------|--------|-----------------------------------------------------|
 * | add          | POST   | /models/{modelId}/training-images                   |
 * | replacePairs | PUT    | /models/{modelId}/training-images/pairs             |
 * | replace      | PUT    | /models/{modelId}/training-images/{trainingImageId} |
 * | delete       | DELETE | /models/{modelId}/training-images/{trainingImageId} |
 * | list         | GET    | /models/{modelId}                                   |
 *
 * @since 0.1.0
 */
export {
  /**
   * `POST /models/{modelId}/training-images`, with `originalAssets` as a query flag.
   *
   * @since 0.1.0
   * @category endpoints
   */
  add,
  /**
   * `DELETE /models/{modelId}/training-images/{trainingImageId}`, with `projectId` in the query when given.
   *
   * @since 0.1.0
   * @category endpoints
   */
  delete,
  /**
   * `DELETE /models/{modelId}/training-images/{trainingImageId}`, with `projectId` in the query when given.
   *
   * @since 0.1.0
   * @category endpoints
   */
  delete_,
  /**
   * Percent-encodes one path segment: `/`, `?`, `#`, `%`, control characters and non-ASCII are escaped.
   * (`.` and `..`, which URL parsers resolve as steps, are rejected by the `Id` schema before this.)
   *
   * @since 0.1.0
   * @category encoding
   */
  encodeSegment,
  /**
   * `GET /models/{modelId}`: the model, whose training-image fields `list` returns.
   *
   * @since 0.1.0
   * @category endpoints
   */
  list,
  /**
   * `PUT /models/{modelId}/training-images/{trainingImageId}`, with `originalAssets` as a query flag.
   *
   * @since 0.1.0
   * @category endpoints
   */
  replace,
  /**
   * `PUT /models/{modelId}/training-images/pairs` (the body is a bare JSON array of pairs).
   *
   * @since 0.1.0
   * @category endpoints
   */
  replacePairs,
  /**
   * The URL of an endpoint below a base URL, as it appears in errors and is sent.
   *
   * @since 0.1.0
   * @category encoding
   */
  url
} from "@effect-scenario/kernel/Endpoint"

export type {
  /**
   * One request of the API as data: its operation, method, path below the base URL (ids percent-encoded),
   * query and whether repeating it is harmless. Built by the functions above, sent by the client.
   *
   * @since 0.1.0
   * @category models
   */
  Endpoint
} from "@effect-scenario/kernel/Endpoint"
