/**
 * A body over the cap is answered, not cut: the connection stays whole and the client reads the 413.
 */
import * as Body from "@effect-scenario/emulator/Body"
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
