/**
 * The inspector's page script (`InspectorView`, the emulator's, which the browser runs) and the inspector's
 * plain rules (`imageOf`, `isLoopbackHostHeader`, `isSameOriginWrite`), checked alike on both lines: each test
 * here is plain code over the functions a runner hands it, comparing through the runner's `Compare`. The
 * runners: `packages/testing/test/InspectorView.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/InspectorView.test.ts` (Effect 4); `controlCall`, whose answer is the line's
 * `Either` or `Result`, stays in them.
 */

/** The runner's comparisons (vitest's `toEqual`, `toContain`, `not.toContain`, `toBe`). */
export interface Compare {
  readonly equal: (actual: unknown, expected: unknown) => void
  readonly contains: (text: string, words: string) => void
  readonly lacks: (text: string, words: string) => void
}

type Fn = (...args: ReadonlyArray<never>) => unknown

/** The page script's functions, as `vm` gives them (untyped: the script is plain JavaScript). */
export interface View {
  readonly filterRequests: Fn
  readonly requestRowHtml: Fn
  readonly requestRowsHtml: Fn
  readonly modelHtml: Fn
  readonly modelsHtml: Fn
  readonly modelOptionsHtml: Fn
  readonly failNextBody: Fn
  readonly faultCountsText: Fn
}

/** The line's inspector rules. */
export interface Rules {
  readonly imageOf: (dataUrl: string) => unknown
  readonly isLoopbackHostHeader: (host: string | undefined, port: number) => boolean
  readonly isSameOriginWrite: (headers: Readonly<Record<string, string>>) => boolean
}

export interface Test<A> {
  readonly name: string
  readonly run: (subject: A, compare: Compare) => void
}

/** A request of the log as the page gets it, with `fields` over a successful `list`. */
export const request = (fields: Readonly<Record<string, unknown>>) => ({
  requestId: "req_emulator_1",
  method: "GET",
  path: "/v1/models/model_1",
  query: "",
  receivedAt: "2026-01-31T12:34:56.789Z",
  durationMillis: 12.3,
  authenticated: true,
  operation: "list",
  modelId: "model_1",
  status: 200,
  fault: undefined,
  ...fields
})

const call = <A>(f: Fn, ...args: ReadonlyArray<unknown>) => (f as (...args: ReadonlyArray<unknown>) => A)(...args)

/** The fault form's fields, and the control API's body they give. */
export const FAULT_FORM = { kind: "429", count: "2", operation: "", retryAfterSeconds: "7", delayMillis: "5000" }
export const FAULT_FORM_BODY = { kind: "429", count: 2, retryAfterSeconds: 7 }

export const viewTests: ReadonlyArray<Test<View>> = [
  {
    name: "filters the log by model and by status class, fault, or no response",
    run: (view, { equal }) => {
      const log = [
        request({ requestId: "a" }),
        request({ requestId: "b", status: 429, fault: "429" }),
        request({ requestId: "c", modelId: "model_2", status: 503 }),
        request({ requestId: "d", status: undefined, fault: "drop-after-apply" }),
        request({ requestId: "e", modelId: undefined, status: 401, authenticated: false })
      ]
      const ids = (filter: { model: string; status: string }) =>
        call<ReadonlyArray<{ requestId: string }>>(view.filterRequests, log, filter).map((r) => r.requestId)
      equal(ids({ model: "", status: "" }), ["a", "b", "c", "d", "e"])
      equal(ids({ model: "model_1", status: "" }), ["a", "b", "d"])
      equal(ids({ model: "", status: "4xx" }), ["b", "e"])
      equal(ids({ model: "model_2", status: "5xx" }), ["c"])
      equal(ids({ model: "", status: "none" }), ["d"])
      equal(ids({ model: "", status: "fault" }), ["b", "d"])
      equal(ids({ model: "model_3", status: "" }), [])
    }
  },
  {
    name: "renders a row with every column, escaping what the request carried",
    run: (view, { contains, lacks }) => {
      const row = call<string>(
        view.requestRowHtml,
        request({ path: "/v1/models/<script>", query: "a=\"b\"&c", status: 429, fault: "429", durationMillis: 1534 })
      )
      contains(row, "class=\"status-4xx\"")
      contains(row, "12:34:56.789")
      contains(row, "/v1/models/&lt;script&gt;?a=&quot;b&quot;&amp;c")
      lacks(row, "<script>")
      contains(row, "1.53 s")
      contains(row, "req_emulator_1")
      contains(call<string>(view.requestRowHtml, request({ status: undefined })), "no response")
      contains(call<string>(view.requestRowsHtml, [], { model: "", status: "" }), "No request yet")
      contains(call<string>(view.requestRowsHtml, [request({})], { model: "x", status: "" }), "No request matches")
    }
  },
  {
    name: "renders a model: thumbnails, placeholders for asset ids, pairs with their instruction as text",
    run: (view, { contains, equal }) => {
      const html = call<string>(view.modelHtml, {
        id: "model_1",
        name: "My <model>",
        type: "flux.1-lora",
        status: "new",
        trainingImages: [
          {
            id: "img_1",
            name: "a.png",
            createdAt: "2026-01-31T12:00:00.000Z",
            thumbnail: "/inspector/images/m/img_1?revision=1"
          },
          { id: "img_2", name: "asset_9", createdAt: "2026-01-31T12:00:01.000Z", thumbnail: null }
        ],
        pairs: [{ sourceId: "img_1", targetId: "img_2", instruction: "<img src=x onerror=alert(1)>" }, {
          sourceId: "img_1",
          targetId: "gone"
        }]
      })
      contains(html, "My &lt;model&gt;")
      contains(html, "src=\"/inspector/images/m/img_1?revision=1\"")
      contains(html, "No preview: added by asset id")
      contains(html, "Not a training image of this model")
      contains(html, "&lt;img src=x onerror=alert(1)&gt;")
      contains(html, "no instruction")
      contains(html, "2026-01-31 12:00:00")
      // A pair names its files; an end that is no image of the model says so, whatever its id.
      contains(html, "<span class=\"names\">a.png \u2192 asset_9</span>")
      contains(html, "<span class=\"names\">a.png \u2192 (not a training image)</span>")
      const prototypeIds = call<string>(view.modelHtml, {
        id: "m",
        name: "m",
        type: "t",
        status: "new",
        trainingImages: [],
        pairs: [{ sourceId: "constructor", targetId: "__proto__" }]
      })
      contains(prototypeIds, "(not a training image) \u2192 (not a training image)")
      // Models fold: the first two open by default, then as the user left each one.
      const models = ["m1", "m2", "m3"].map((id) => ({
        id,
        name: id,
        type: "t",
        status: "new",
        trainingImages: [],
        pairs: []
      }))
      const openIds = (html: string) => Array.from(html.matchAll(/data-model-id="(\w+)" open/g), (match) => match[1])
      equal(openIds(call<string>(view.modelsHtml, models)), ["m1", "m2"])
      const leftOpen = (id: string) => id === "m1" ? false : id === "m3" ? true : undefined
      equal(openIds(call<string>(view.modelsHtml, models, leftOpen)), ["m2", "m3"])
      equal(
        call<string>(view.modelOptionsHtml, [{ id: "m\"1" }], "gone"),
        "<option value=\"\">all models</option><option value=\"m&quot;1\">m&quot;1</option>" +
          "<option value=\"gone\" selected>gone</option>"
      )
    }
  }
]

/** The fault form's part of "reads the fault form into the control API's body": the runner adds the server's. */
export const faultForm = (view: View, { equal }: Compare): void => {
  equal(call(view.failNextBody, FAULT_FORM), FAULT_FORM_BODY)
  equal(call(view.failNextBody, { ...FAULT_FORM, kind: "delay", operation: "add" }), {
    kind: "delay",
    count: 2,
    delayMillis: 5000,
    operation: "add"
  })
  equal(call(view.faultCountsText, { "503": 1, "429": 2 }), "429 × 2, 503 × 1")
}

export const rulesTests: ReadonlyArray<Test<Rules>> = [
  {
    name: "shows only raster images, and answers only to loopback names and same-origin JSON writes",
    run: (rules, { equal }) => {
      equal(rules.imageOf("data:image/png;base64,AAAA"), { contentType: "image/png", base64: "AAAA" })
      equal(rules.imageOf("data:image/jpg;name=x;base64,AA"), { contentType: "image/jpeg", base64: "AA" })
      equal(rules.imageOf("data:image/svg+xml;base64,PHN2Zz4="), undefined)
      equal(rules.imageOf("data:text/html;base64,PGI+"), undefined)
      const loopback: ReadonlyArray<readonly [string | undefined, boolean]> = [
        ["127.0.0.1:4010", true],
        ["LOCALHOST:4010", true],
        ["evil.test:4010", false],
        ["127.0.0.1:4011", false],
        [undefined, false],
        // Any 127.x address and [::1], with this port or none, as a browser sends them.
        ["localhost", true],
        ["127.8.9.10:4010", true],
        ["[::1]", true],
        ["127.0.0.256:4010", false],
        ["localhost.evil.test", false],
        ["[::2]:4010", false]
      ]
      for (const [host, expected] of loopback) equal([host, rules.isLoopbackHostHeader(host, 4010)], [host, expected])
      const host = "127.0.0.1:4010"
      const writes: ReadonlyArray<readonly [Readonly<Record<string, string>>, boolean]> = [
        [{ host, "content-type": "application/json" }, true],
        [{ host, origin: "http://127.0.0.1:4010", "content-type": "application/json" }, true],
        [{ host, origin: "http://evil.test", "content-type": "application/json" }, false],
        [{ host, "content-type": "text/plain" }, false]
      ]
      for (const [headers, expected] of writes) equal([headers, rules.isSameOriginWrite(headers)], [headers, expected])
    }
  }
]
