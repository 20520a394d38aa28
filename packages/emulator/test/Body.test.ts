/**
 * A body over the cap is answered, not cut: the connection stays whole and the client reads the 413.
 */
import * as Body from "@effect-scenario/emulator/Body"
import { EventEmitter } from "node:events"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let server: Http.Server
let url: string

beforeAll(async () => {
  server = Http.createServer((request, response) => {
    void Body.read(request, 8).then((read) => {
      response.writeHead(read._tag === "Text" ? 200 : read._tag === "TooLarge" ? 413 : 400)
      response.end(read._tag === "Text" ? read.text : read._tag)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const chunked = (parts: ReadonlyArray<string>) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part))
      controller.close()
    }
  })

describe("Body.read", () => {
  it("reads a body within the cap as text", async () => {
    const response = await fetch(url, { method: "POST", body: "{\"a\":1}" })
    expect([response.status, await response.text()]).toEqual([200, "{\"a\":1}"])
  })

  it("refuses a body announced over the cap, and one sent in chunks over it", async () => {
    const announced = await fetch(url, { method: "POST", body: "0123456789" })
    expect([announced.status, await announced.text()]).toEqual([413, "TooLarge"])
    const streamed = await fetch(url, {
      method: "POST",
      body: chunked(["0123", "4567", "89"]),
      duplex: "half"
    } as RequestInit)
    expect([streamed.status, await streamed.text()]).toEqual([413, "TooLarge"])
  })
})

// A request as the reader sees it: headers and the events of its body, emitted by the test.
const fakeRequest = (headers: Record<string, string> = {}) => {
  const emitter = new EventEmitter() as EventEmitter & { headers: Record<string, string> }
  emitter.headers = headers
  return emitter
}
const listeners = (request: EventEmitter) =>
  ["data", "end", "error", "aborted"].map((event) => request.listenerCount(event))

describe("Body.readText", () => {
  it("a body announced over the cap is refused at once, without listening to it", () => {
    const request = fakeRequest({ "content-length": "9" })
    const reads: Array<Body.BodyRead> = []
    const stop = Body.readText(request as never, 8, (read) => reads.push(read))
    expect(reads).toEqual([{ _tag: "TooLarge" }])
    expect(listeners(request)).toEqual([0, 0, 0, 0])
    stop()
    expect(reads).toHaveLength(1)
  })

  it("a body announced at the cap, or not announced, is read to its end: at the cap it is text", () => {
    for (const headers of [{ "content-length": "8" }, {}]) {
      const request = fakeRequest(headers)
      const reads: Array<Body.BodyRead> = []
      Body.readText(request as never, 8, (read) => reads.push(read))
      expect(reads).toEqual([])
      request.emit("data", Buffer.from("0123"))
      request.emit("data", Buffer.from("4567"))
      request.emit("end")
      expect(reads).toEqual([{ _tag: "Text", text: "01234567" }])
      expect(listeners(request)).toEqual([0, 0, 0, 0])
    }
  })

  it("a body one byte over the cap, in chunks, is too large; a character split between chunks is whole", () => {
    const over = fakeRequest()
    const reads: Array<Body.BodyRead> = []
    Body.readText(over as never, 8, (read) => reads.push(read))
    over.emit("data", Buffer.from("0123"))
    over.emit("data", Buffer.from("45678"))
    over.emit("end")
    const split = fakeRequest()
    Body.readText(split as never, 8, (read) => reads.push(read))
    const e = Buffer.from("é")
    split.emit("data", e.subarray(0, 1))
    split.emit("data", e.subarray(1))
    split.emit("end")
    expect(reads).toEqual([{ _tag: "TooLarge" }, { _tag: "Text", text: "é" }])
  })

  it("an error or an abort ends the read as unreadable, once, and stops listening", () => {
    for (const event of ["error", "aborted"]) {
      const request = fakeRequest()
      const reads: Array<Body.BodyRead> = []
      Body.readText(request as never, 8, (read) => reads.push(read))
      request.emit("data", Buffer.from("01"))
      request.emit(event, new Error("cut"))
      expect(listeners(request), event).toEqual([0, 0, 0, 0])
      request.emit("end")
      expect(reads, event).toEqual([{ _tag: "Unreadable" }])
    }
  })

  it("the function returned stops listening: done is never called", () => {
    const request = fakeRequest()
    const reads: Array<Body.BodyRead> = []
    const stop = Body.readText(request as never, 8, (read) => reads.push(read))
    expect(listeners(request)).toEqual([1, 1, 1, 1])
    stop()
    expect(listeners(request)).toEqual([0, 0, 0, 0])
    request.emit("end")
    expect(reads).toEqual([])
  })
})
