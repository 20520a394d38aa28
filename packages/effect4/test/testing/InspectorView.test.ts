import { Fault } from "@effect-scenario/effect4/testing"
import * as Script from "@effect-scenario/emulator/InspectorScript"
import { describe, expect, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as vm from "node:vm"
import * as Inspector from "../../src/testing/internal/inspector.js"

// The page's script as the browser runs it, in a context of its own with no DOM.
const context: { InspectorView?: any } = {}
vm.runInNewContext(Script.VIEW, context)
const View = context.InspectorView

const request = (fields: Record<string, unknown>) => ({
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

describe("inspector view", () => {
  it("filters the log by model and by status class, fault, or no response", () => {
    const log = [
      request({ requestId: "a" }),
      request({ requestId: "b", status: 429, fault: "429" }),
      request({ requestId: "c", modelId: "model_2", status: 503 }),
      request({ requestId: "d", status: undefined, fault: "drop-after-apply" }),
      request({ requestId: "e", modelId: undefined, status: 401, authenticated: false })
    ]
    const ids = (filter: { model: string; status: string }) =>
      View.filterRequests(log, filter).map((r: { requestId: string }) => r.requestId)
    expect(ids({ model: "", status: "" })).toEqual(["a", "b", "c", "d", "e"])
    expect(ids({ model: "model_1", status: "" })).toEqual(["a", "b", "d"])
    expect(ids({ model: "", status: "4xx" })).toEqual(["b", "e"])
    expect(ids({ model: "model_2", status: "5xx" })).toEqual(["c"])
    expect(ids({ model: "", status: "none" })).toEqual(["d"])
    expect(ids({ model: "", status: "fault" })).toEqual(["b", "d"])
    expect(ids({ model: "model_3", status: "" })).toEqual([])
  })

  it("renders a row with every column, escaping what the request carried", () => {
    const row: string = View.requestRowHtml(
      request({ path: "/v1/models/<script>", query: "a=\"b\"&c", status: 429, fault: "429", durationMillis: 1534 })
    )
    expect(row).toContain("class=\"status-4xx\"")
    expect(row).toContain("12:34:56.789")
    expect(row).toContain("/v1/models/&lt;script&gt;?a=&quot;b&quot;&amp;c")
    expect(row).not.toContain("<script>")
    expect(row).toContain("1.53 s")
    expect(row).toContain("req_emulator_1")
    expect(View.requestRowHtml(request({ status: undefined }))).toContain("no response")
    expect(View.requestRowsHtml([], { model: "", status: "" })).toContain("No request yet")
    expect(View.requestRowsHtml([request({})], { model: "x", status: "" })).toContain("No request matches")
  })

  it("renders a model: thumbnails, placeholders for asset ids, pairs with their instruction as text", () => {
    const html: string = View.modelHtml({
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
    expect(html).toContain("My &lt;model&gt;")
    expect(html).toContain("src=\"/inspector/images/m/img_1?revision=1\"")
    expect(html).toContain("No preview: added by asset id")
    expect(html).toContain("Not a training image of this model")
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;")
    expect(html).toContain("no instruction")
    expect(html).toContain("2026-01-31 12:00:00")
    // A pair names its files; an end that is no image of the model says so, whatever its id.
    expect(html).toContain("<span class=\"names\">a.png \u2192 asset_9</span>")
    expect(html).toContain("<span class=\"names\">a.png \u2192 (not a training image)</span>")
    const prototypeIds = View.modelHtml({
      id: "m",
      name: "m",
      type: "t",
      status: "new",
      trainingImages: [],
      pairs: [{ sourceId: "constructor", targetId: "__proto__" }]
    })
    expect(prototypeIds).toContain("(not a training image) \u2192 (not a training image)")
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
    expect(openIds(View.modelsHtml(models))).toEqual(["m1", "m2"])
    expect(openIds(View.modelsHtml(models, (id: string) => id === "m1" ? false : id === "m3" ? true : undefined)))
      .toEqual(["m2", "m3"])
    expect(View.modelOptionsHtml([{ id: "m\"1" }], "gone")).toBe(
      "<option value=\"\">all models</option><option value=\"m&quot;1\">m&quot;1</option>" +
        "<option value=\"gone\" selected>gone</option>"
    )
  })

  it("reads the fault form into the control API's body, which the server accepts", () => {
    const fields = { kind: "429", count: "2", operation: "", retryAfterSeconds: "7", delayMillis: "5000" }
    const body = View.failNextBody(fields)
    expect(body).toEqual({ kind: "429", count: 2, retryAfterSeconds: 7 })
    const call = Inspector.controlCall("fail-next", JSON.stringify(body))
    expect(call).toEqual(Result.succeed({
      _tag: "FailNext",
      count: 2,
      fault: Fault.rateLimited({ retryAfter: "7 seconds" }),
      operation: undefined
    }))
    expect(View.failNextBody({ ...fields, kind: "delay", operation: "add" })).toEqual({
      kind: "delay",
      count: 2,
      delayMillis: 5000,
      operation: "add"
    })
    expect(View.faultCountsText({ "503": 1, "429": 2 })).toBe("429 × 2, 503 × 1")
  })
})

describe("inspector rules", () => {
  it("turns control requests into Control calls, refusing what it cannot read", () => {
    expect(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"drop-after-apply\",\"operation\":\"add\"}"))
      .toEqual(Result.succeed({ _tag: "FailNext", count: 1, fault: Fault.dropAfterApply, operation: "add" }))
    expect(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"teapot\"}")).toEqual(
      Result.fail("Unknown fault kind \"teapot\"")
    )
    expect(Result.isFailure(Inspector.controlCall("fail-next", "{\"count\":0,\"kind\":\"500\"}"))).toBe(true)
    expect(Result.isFailure(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"500\",\"extra\":1}"))).toBe(
      true
    )
    expect(Inspector.controlCall("seed", "not json")).toEqual(Result.fail("Invalid JSON body"))
    expect(Inspector.controlCall("seed", "{\"m\":{\"trainingImages\":[{\"name\":\"x\"}]}}")).toEqual(
      Result.succeed({ _tag: "Seed", models: { m: { trainingImages: [{ name: "x" }] } } })
    )
    expect(Inspector.controlCall("reset", "")).toEqual(Result.succeed({ _tag: "Reset" }))
    expect(Result.isFailure(Inspector.controlCall("shutdown", "{}"))).toBe(true)
  })

  it("shows only raster images, and answers only to loopback names and same-origin JSON writes", () => {
    expect(Inspector.imageOf("data:image/png;base64,AAAA")).toEqual({ contentType: "image/png", base64: "AAAA" })
    expect(Inspector.imageOf("data:image/jpg;name=x;base64,AA")).toEqual({ contentType: "image/jpeg", base64: "AA" })
    expect(Inspector.imageOf("data:image/svg+xml;base64,PHN2Zz4=")).toBeUndefined()
    expect(Inspector.imageOf("data:text/html;base64,PGI+")).toBeUndefined()
    expect(Inspector.isLoopbackHostHeader("127.0.0.1:4010", 4010)).toBe(true)
    expect(Inspector.isLoopbackHostHeader("LOCALHOST:4010", 4010)).toBe(true)
    expect(Inspector.isLoopbackHostHeader("evil.test:4010", 4010)).toBe(false)
    expect(Inspector.isLoopbackHostHeader("127.0.0.1:4011", 4010)).toBe(false)
    expect(Inspector.isLoopbackHostHeader(undefined, 4010)).toBe(false)
    // Any 127.x address and [::1], with this port or none, as a browser sends them.
    expect(Inspector.isLoopbackHostHeader("localhost", 4010)).toBe(true)
    expect(Inspector.isLoopbackHostHeader("127.8.9.10:4010", 4010)).toBe(true)
    expect(Inspector.isLoopbackHostHeader("[::1]", 4010)).toBe(true)
    expect(Inspector.isLoopbackHostHeader("127.0.0.256:4010", 4010)).toBe(false)
    expect(Inspector.isLoopbackHostHeader("localhost.evil.test", 4010)).toBe(false)
    expect(Inspector.isLoopbackHostHeader("[::2]:4010", 4010)).toBe(false)
    const host = "127.0.0.1:4010"
    expect(Inspector.isSameOriginWrite({ host, "content-type": "application/json" })).toBe(true)
    expect(Inspector.isSameOriginWrite({ host, origin: "http://127.0.0.1:4010", "content-type": "application/json" }))
      .toBe(true)
    expect(Inspector.isSameOriginWrite({ host, origin: "http://evil.test", "content-type": "application/json" }))
      .toBe(false)
    expect(Inspector.isSameOriginWrite({ host, "content-type": "text/plain" })).toBe(false)
  })
})
