/**
 * The benchmark's server, run in a child process so that its CPU never counts as the client's. It answers
 * `PUT /v1/models/{modelId}/training-images/{trainingImageId}` as Scenario does, after reading the whole
 * request body, on 127.0.0.1 only. It exits when its parent goes away, or after a bounded lifetime.
 */
import * as Http from "node:http"

// A bound for a server whose parent never said goodbye: the Effect 4 line's benchmark, on a loaded machine,
// runs for longer than five minutes.
const MAX_LIFETIME_MS = 20 * 60 * 1000

const trainingImage = (id: string) =>
  Buffer.from(JSON.stringify({
    trainingImage: {
      id,
      automaticCaptioning: "a watercolor painting of a lighthouse on a cliff",
      createdAt: "2023-02-03T11:19:41.579Z",
      description: "",
      downloadUrl: `https://cdn.cloud.scenario.com/assets/${id}?p=100&Expires=1700000000&Signature=abcdef`,
      name: "lighthouse.png",
      kind: "image",
      source: "training"
    }
  }))

const responses = new Map<string, Buffer>()
const PREFIX = "/v1/models/"

const server = Http.createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
  let received = 0
  request.on("data", (chunk: Buffer) => {
    received += chunk.length
  })
  request.on("end", () => {
    const url = request.url ?? ""
    const slash = url.lastIndexOf("/")
    if (request.method !== "PUT" || !url.startsWith(PREFIX) || slash < PREFIX.length || received === 0) {
      response.writeHead(400, { "content-type": "application/json" })
      response.end(JSON.stringify({ message: "unexpected request" }))
      return
    }
    const id = url.slice(slash + 1)
    let body = responses.get(id)
    if (body === undefined) {
      body = trainingImage(id)
      responses.set(id, body)
    }
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": body.length,
      "x-request-id": "bench"
    })
    response.end(body)
  })
})

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  process.send?.({ port })
})

const stop = () => {
  server.closeAllConnections()
  server.close()
  process.exit(0)
}
process.on("disconnect", stop)
process.on("SIGTERM", stop)
setTimeout(stop, MAX_LIFETIME_MS).unref()
