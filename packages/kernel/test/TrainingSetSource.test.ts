/**
 * What a training-set run decides about its sources and its retries without Effect: the inline input of an
 * image's bytes, the message of a non-image, the reasons a file or a link cannot be read, and which failed
 * requests a run lets its retry loop send again.
 */
import { describe, expect, it } from "vitest"
import { encode } from "../src/Base64.js"
import {
  brokenLinkReason,
  imageDataUrl,
  notAnImageMessage,
  runMayRetry,
  SKIPPED_LINK_REASONS,
  unreadableReason
} from "../src/TrainingSetPlan.js"

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe("a training set's sources", () => {
  it("an image's data URL carries the media type of its bytes, whatever its name", () => {
    const png = Uint8Array.from([...PNG, 1, 2, 3])
    expect(imageDataUrl(png)).toBe(`data:image/png;base64,${encode(png)}`)
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0, 1])
    expect(imageDataUrl(jpeg)).toBe(`data:image/jpeg;base64,${encode(jpeg)}`)
    expect(imageDataUrl(new TextEncoder().encode("hello"))).toBeUndefined()
    expect(imageDataUrl(new Uint8Array(0))).toBeUndefined()
  })

  it("a non-image's message names it and says how it was judged", () => {
    expect(notAnImageMessage("notes.png")).toBe(
      "notes.png is not a PNG, JPEG, WebP or GIF image (judged by its content, not its name)"
    )
  })

  it("a file that cannot be read says why, from the file system's reason", () => {
    expect(unreadableReason("NotFound")).toBe("no such file or folder")
    expect(unreadableReason("PermissionDenied")).toBe("permission denied")
    expect(unreadableReason("Busy")).toBe("could not be read")
    expect(unreadableReason(undefined)).toBe("could not be read")
  })

  it("a link that cannot be followed is a link to nothing when its target is not found, else a loop", () => {
    expect(brokenLinkReason("NotFound")).toBe("dangling-link")
    expect(brokenLinkReason("Unknown")).toBe("link-loop")
    expect(brokenLinkReason(undefined)).toBe("link-loop")
    expect(SKIPPED_LINK_REASONS).toEqual({
      "dangling-link": "a symbolic link to nothing",
      "link-loop": "a symbolic link that loops",
      "already-listed": "a symbolic link to a folder already listed"
    })
  })
})

describe("a run's retries", () => {
  it("every operation but add is left to the policy", () => {
    for (const operation of ["replace", "replacePairs", "delete", "list"]) {
      expect(runMayRetry({ _tag: "InternalServerError", status: 503 }, operation)).toBe(true)
      expect(runMayRetry({ _tag: "TimeoutError", mayHaveReachedServer: true }, operation)).toBe(true)
    }
  })

  it("an add is sent again only when it surely was not applied", () => {
    expect(runMayRetry({ _tag: "RateLimitError", status: 429 }, "add")).toBe(true)
    expect(runMayRetry({ _tag: "ConnectionError", mayHaveReachedServer: false }, "add")).toBe(true)
    expect(runMayRetry({ _tag: "ConnectionError", mayHaveReachedServer: true }, "add")).toBe(false)
    expect(runMayRetry({ _tag: "InternalServerError", status: 503 }, "add")).toBe(false)
    expect(runMayRetry({ _tag: "InternalServerError", status: 500 }, "add")).toBe(false)
    expect(runMayRetry({ _tag: "TimeoutError", mayHaveReachedServer: false }, "add")).toBe(false)
    expect(runMayRetry({ _tag: "ConflictError", status: 409 }, "add")).toBe(false)
  })
})
