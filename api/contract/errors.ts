// Every failure a user (or another system) can cause, by a stable `code` and the HTTP status it
// answers with. The API's `error` text is English, for logs and other systems; the web app shows
// the code's message in the user's language (web/src/lib/i18n: `errors`). Add a code here, and
// the web's messages do not compile until both languages say it.

export const errorStatus = {
  // the request itself (400)
  invalid_json: 400, // the body is not JSON
  invalid_body: 400, // JSON, but not an object
  unknown_field: 400, // `fields`: the names we do not take
  required: 400, // `field` is missing or empty
  invalid_value: 400, // `field` has the wrong type or form; `allowed` when it is one of a list
  too_short: 400, // `field`, `minimum`
  too_long: 400, // `field`, `maximum`
  out_of_range: 400, // `field`, `minimum`, `maximum`
  nul_character: 400, // text with U+0000, which PostgreSQL refuses
  invalid_tile: 400, // z/x/y outside the tile pyramid
  photo_missing: 400, // no file named photo in a multipart body, or an empty one
  unparsed_building: 400, // the rider's search names no building ("3号楼2单元")
  // who is asking (401, 403)
  sign_in_required: 401,
  wrong_credentials: 401,
  out_of_scope: 403, // the request, photo or area lies outside the staff member's area
  not_dispatcher: 403, // only grid leaders, secretaries and the street administrator dispatch
  not_reporter: 403, // only the reporter (with the report token) rates or adds photos
  kiosk_invalid: 403, // an unknown or revoked wall-screen link
  api_key_missing: 403,
  api_key_invalid: 403,
  setup_token_invalid: 403, // the setup link was used already, or replaced by a newer one
  // what is asked for (404)
  not_found: 404, // no such path, collection or feature
  request_not_found: 404, // `ticket`
  area_not_found: 404,
  compound_not_found: 404,
  building_not_in_compound: 404, // `number`, `buildings` (the numbers there are)
  unit_not_in_building: 404, // `building`, `unit`, `units`
  photo_not_found: 404,
  service_not_found: 404, // an Open311 service_code we do not have
  account_not_found: 404,
  // the state of things (409)
  illegal_transition: 409, // `from`, `to`, `allowed`
  already_claimed: 409, // `assigneeName`
  request_changed: 409, // a concurrent change won; reload and try again
  request_closed: 409, // `status`: closed requests cannot be dispatched, escalated or seconded
  already_at_top: 409, // escalated as far as it goes (街道兜底)
  not_resolved: 409, // only a resolved request can be rated; `status`
  photo_window_closed: 409, // reporters add photos within an hour of filing
  photo_limit: 409, // `maximum` photos per request
  setup_done: 409, // the installation has accounts: sign in instead
  username_taken: 409,
  // the place (422)
  outside_service_area: 422, // the point lies outside every street of this map
  no_path_nearby: 422, // `meters`: no walking path that close to the point
  no_route: 422, // the two points are on paths that never meet
  unknown_assignee: 422,
  assignee_out_of_scope: 422, // `assigneeName`
  invalid_duplicate_of: 422, // `duplicateOf` is not the ticket of another request
  // size and kind (413, 415)
  body_too_large: 413, // `maximum` bytes
  photo_too_large: 413, // `maximum` bytes
  photo_unsupported: 415, // not JPEG, PNG or WebP
  photo_unreadable: 415,
  // 三率 and the monthly report (api/rates)
  invalid_period: 400, // `from` is after `to`
  // trust (issue 9 §2, abuse resistance): too many requests, cross-site writes, photos too big to decode
  rate_limited: 429, // `retryAfter` seconds, `limit` per window; also the Retry-After header
  sign_in_throttled: 429, // `retryAfter` seconds: too many wrong passwords from this client
  too_many_streams: 429, // `maximum` live streams open from this client
  cross_site: 403, // a state-changing request with a session cookie from another site (Origin / Sec-Fetch-Site)
  photo_too_many_pixels: 413, // `maximum` pixels (width × height) a photo may decode to
  // the server (503, 500)
  starting: 503, // the database is still opening; try again in a moment
  internal: 500,
  // issue 10: the lookup code (a ticket opened on another phone) and the staff intake
  wrong_lookup_code: 403, // the ticket's lookup code does not match
  too_many_attempts: 429, // `retryAfterMinutes`: too many wrong lookup codes for this ticket
  building_not_found: 404, // `buildingId`
  // the administration console and imports (issue 8)
  not_admin: 403, // only the street administrator and community secretaries administer
  role_not_allowed: 403, // `allowed`: the roles this administrator may give
  staff_not_found: 404,
  kiosk_not_found: 404,
  api_key_not_found: 404,
  own_account: 409, // one does not disable or reset one's own account in the console
  import_unreadable: 400, // `file`: not a file of the kind its name says (xlsx, csv, GeoJSON)
  import_problems: 422, // `problems`: [{ row, field, code, value }]; nothing was imported
  // care ledgers (issue 11 §2, api/care)
  household_not_found: 404, // `id`: no such care household, or none the asker may see is told apart from it
  colour_not_in_scheme: 422, // `allowed`: the colours of the household's scheme (blue is not a children's colour)
  // place layers in and out (issue 8 §2–3: api/import/layers.ts); the layer_* problems are also named per feature in a report
  unknown_layer: 400, // `allowed`: the layers that import and export
  unsupported_format: 415, // `allowed`: the file kinds read (by the file's extension)
  layer_missing_field: 422, // `field`: a required field (name, number, parent …) is empty or not mapped
  layer_bad_value: 422, // `field`, `allowed`: a number, yes/no or category that cannot be read
  layer_bad_geometry: 422, // no geometry, the wrong kind, or invalid (PostGIS's reason)
  layer_unknown_parent: 422, // `field`: the compound, building or micro-grid it names does not exist
  layer_duplicate_id: 422, // the same id twice in one file
  layer_bad_opening_hours: 422, // not OpenStreetMap opening_hours syntax
  layer_swapped_coordinates: 422, // longitude and latitude look swapped
  layer_outside_streets: 422, // a warning: outside every street (imported all the same)
  // field visits and patrol (issue 11 §3, api/visits)
  visit_not_found: 404, // `id`: no such visit
  patrol_not_found: 404, // `id`: no such patrol
  not_your_patrol: 403, // a patrol's track and stop are its walker's own
  patrol_ended: 409, // the patrol was stopped: start a new one
  zero_report_grid_only: 403, // 零上报 is a grid's: grid and micro-grid staff record it
  zero_report_conflict: 409, // `tickets`: findings of today already became requests — not a day with nothing to report
  // 三项清单 and 微心愿 (issue 11 §1, api/lists)
  need_not_found: 404, // `id`
  resource_not_found: 404, // `id`
  project_not_found: 404, // `id`
  wish_not_found: 404, // `id`
  list_transition_refused: 409, // `from`, `to`, `allowed`: a wish or project cannot move so from where it stands
  list_link_out_of_scope: 422, // `field`, `ids`: needs or resources that do not exist or lie outside the project's community
  // volunteers claiming a wish from the public board (issue 11)
  wish_taken: 409, // someone claimed it first, or it is no longer waiting
  no_offer: 409, // no volunteer's claim waits on this wish
  // imports with a progress bar, scoped to a secretary's community (issue 8 §2, api/import/jobs.ts)
  import_job_not_found: 404, // `id`: no such import, or one started by somebody else
  layer_outside_scope: 422, // a feature outside the importer's community (a secretary imports inside theirs only)
  // editing on the map (issue 8 §2, api/places/edit.ts); bad geometry is the import's layer_bad_geometry
  place_not_found: 404, // `layer`, `id`: no such service point, gate, entrance, building or area
  outline_not_editable: 422, // `allowed`: only communities, grids and micro-grids are reshaped on the map
  outline_problems: 422, // `problems`: [{ kind, areaIds, message, at }]; nothing was written
  // the public wish claim's own rate limit (issue 11, api/guard/limits.ts wishClaims)
  wish_claims_limited: 429, // `retryAfter` seconds, `limit` claims per `windowMinutes` from this client; also Retry-After
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorHttpStatus = (typeof errorStatus)[ErrorCode];
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];
export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && value in errorStatus;
