/**
 * The rules of a pulled image's file, without properties: each rule of a portable name at its edges, the
 * files of images that want the same one, and a download's, an option's, a pair's and a state entry's rules.
 * Deterministic and quick, so that a mutation run can use it alone.
 */
import {
  downloadMayRetry,
  downloadMessage,
  fileExistsMessage,
  fileNames,
  isPortableFileName,
  knownFiles,
  MAX_FILE_NAME_BYTES,
  PAIRS_FILE,
  pairsByName,
  portableFileName,
  pullOptionIssues,
  shownUrl,
  STATE_FILE
} from "@effect-scenario/kernel/TrainingSetFiles"
import { describe, expect, it } from "vitest"

describe("portableFileName: each rule at its edges", () => {
  it("each character Windows refuses, each control character and DEL become _; their neighbours stay", () => {
    for (const char of ["<", ">", ":", "\"", "/", "\\", "|", "?", "*", "\u0000", "\u0001", "\u001f", "\u007f"]) {
      expect(portableFileName(`a${char}b.png`)).toBe("a_b.png")
    }
    for (const char of [" ", "!", "~", "\u0080", "é"]) {
      expect(portableFileName(`a${char}b.png`)).toBe(`a${char}b.png`)
    }
  })

  it("a lone surrogate becomes _, wherever it is; a whole pair stays", () => {
    expect(portableFileName("a\udbffb.png")).toBe("a_b.png")
    expect(portableFileName("a\udc00b.png")).toBe("a_b.png")
    expect(portableFileName("a\udfff.png")).toBe("a_.png")
    expect(portableFileName("\ud800")).toBe("_")
    expect(portableFileName("a\ud800\udc00b.png")).toBe("a\ud800\udc00b.png")
    expect(portableFileName("a\udbff\udfff.png")).toBe("a\udbff\udfff.png")
  })

  it("every Windows device name gets _ after its stem, whatever its case; a longer stem is no device name", () => {
    const devices = [
      "CON",
      "prn",
      "Aux",
      "NUL",
      "com0",
      "COM9",
      "com¹",
      "COM²",
      "com³",
      "lpt0",
      "LPT5",
      "lpt¹",
      "LPT²",
      "lpt³",
      "CONIN$",
      "conout$"
    ]
    for (const device of devices) {
      expect(portableFileName(device)).toBe(`${device}_`)
      expect(portableFileName(`${device}.txt`)).toBe(`${device}_.txt`)
      expect(portableFileName(`x${device}.txt`)).toBe(`x${device}.txt`)
      expect(portableFileName(`${device}x.txt`)).toBe(`${device}x.txt`)
    }
    for (const other of ["com", "lpt", "com10", "conin", "conout", "comA", "lpt$", "CONIN$$"]) {
      expect(portableFileName(other)).toBe(other)
    }
  })

  it("a device name followed by dots or spaces is still one (Windows drops them)", () => {
    expect(portableFileName("nul ")).toBe("nul _")
    expect(portableFileName("CON .png")).toBe("CON _.png")
    expect(portableFileName("aux  .png")).toBe("aux  _.png")
  })

  it("a name is cut to 255 UTF-8 bytes by whole code points of 1, 2, 3 and 4 bytes", () => {
    expect(portableFileName("a".repeat(255))).toBe("a".repeat(255))
    expect(portableFileName("a".repeat(256))).toBe("a".repeat(255))
    expect(portableFileName("a".repeat(300))).toBe("a".repeat(255))
    // U+0080 and U+07FF take 2 bytes, U+0800 and U+FFFF 3, U+10000 4.
    expect(portableFileName("\u0080".repeat(128))).toBe("\u0080".repeat(127))
    expect(portableFileName("\u07ff".repeat(128))).toBe("\u07ff".repeat(127))
    expect(portableFileName("\u0800".repeat(86))).toBe("\u0800".repeat(85))
    expect(portableFileName("\uffff".repeat(86))).toBe("\uffff".repeat(85))
    expect(portableFileName("\u0800".repeat(85))).toBe("\u0800".repeat(85))
    expect(portableFileName("\u{10000}".repeat(64))).toBe("\u{10000}".repeat(63))
    expect(portableFileName("\u{10000}".repeat(63))).toBe("\u{10000}".repeat(63))
    // A character that would cross the limit is left out whole: 254 bytes and a 2-byte character.
    expect(portableFileName(`${"a".repeat(254)}é`)).toBe("a".repeat(254))
  })

  it("a cut keeps a short extension of letters and digits, and the stem shrinks instead", () => {
    expect(portableFileName(`${"a".repeat(300)}.png`)).toBe(`${"a".repeat(251)}.png`)
    expect(portableFileName(`${"a".repeat(300)}.JPEG2`)).toBe(`${"a".repeat(249)}.JPEG2`)
    expect(portableFileName(`${"a".repeat(300)}.abcdefghij`)).toBe(`${"a".repeat(244)}.abcdefghij`)
    // Eleven characters, or one that is not a letter or digit, is no extension: the end is cut.
    expect(portableFileName(`${"a".repeat(300)}.abcdefghijk`)).toBe("a".repeat(255))
    expect(portableFileName(`${"a".repeat(300)}.p-g`)).toBe("a".repeat(255))
    expect(portableFileName(`${"a".repeat(260)}.tar.gz`)).toBe(`${"a".repeat(252)}.gz`)
    // A cut that ends in a space: the space becomes _.
    expect(portableFileName(`${"a".repeat(250)}     bbbbbbbbbb`)).toBe(`${"a".repeat(250)}_____`)
  })
})

describe("fileNames: taken files", () => {
  it("a second, third and fourth image of one file get the id, then the id and a count", () => {
    expect(fileNames([
      { id: "i", name: "a.png" },
      { id: "i", name: "a.png" },
      { id: "i", name: "A.png" },
      { id: "i", name: "a.PNG" }
    ])).toEqual(["a.png", "a~i.png", "A~i~2.png", "a~i~3.PNG"])
  })

  it("the id in a file name is made portable and cut to 64 bytes", () => {
    expect(fileNames([{ id: "x", name: "b.png" }, { id: "id/x.", name: "b.png" }])).toEqual([
      "b.png",
      "b~id_x_.png"
    ])
    const id = "z".repeat(100)
    expect(fileNames([{ id: "x", name: "c.png" }, { id, name: "c.png" }])[1]).toBe(`c~${"z".repeat(64)}.png`)
  })

  it("a file name equal to another but for Unicode composition is taken", () => {
    const composed = "caf\u00e9.png"
    const decomposed = "cafe\u0301.png"
    expect(fileNames([{ id: "1", name: composed }, { id: "2", name: decomposed }])).toEqual([
      composed,
      "cafe\u0301~2.png"
    ])
  })
})

describe("a pull's download rules at their edges", () => {
  it("a 5xx is retried from 500 on; other statuses are not", () => {
    expect(downloadMayRetry({ reason: "status", status: 500 })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 599 })).toBe(true)
    for (const status of [200, 400, 428, 430, 499]) {
      expect(downloadMayRetry({ reason: "status", status })).toBe(false)
    }
    // A status on a failure of another kind changes nothing.
    expect(downloadMayRetry({ reason: "timeout", status: 503 })).toBe(false)
    expect(downloadMayRetry({ reason: "too-large", status: 429 })).toBe(false)
  })

  it("each reason's whole message", () => {
    const error = { name: "a.png", trainingImageId: "ti_1", url: "https://cdn.example/a", maxBytes: 10 }
    const start = "a.png (ti_1) could not be downloaded from https://cdn.example/a: "
    expect(downloadMessage({ ...error, reason: "too-large" })).toBe(
      `${start}the image is over 10 bytes (maxImageBytes)`
    )
    expect(downloadMessage({ ...error, reason: "transport" })).toBe(
      `${start}the connection to the download host failed`
    )
    expect(downloadMessage({ ...error, reason: "timeout" })).toBe(`${start}the download host did not answer in time`)
    expect(downloadMessage({ ...error, reason: "invalid-url" })).toBe(
      `${start}its downloadUrl is not an http or https URL`
    )
  })

  it("an option's issue says what is expected; each option is checked alone", () => {
    expect(pullOptionIssues({ concurrency: 0 })).toEqual([
      { path: ["concurrency"], message: "Expected a whole number of at least 1" }
    ])
    expect(pullOptionIssues({ maxImageBytes: 0 })).toEqual([
      { path: ["maxImageBytes"], message: "Expected a whole number of bytes above 0" }
    ])
    expect(pullOptionIssues({ concurrency: 2 ** 53, maxImageBytes: 2 ** 53 }).length).toBe(2)
    expect(pullOptionIssues({ concurrency: 64, maxImageBytes: 0.5 }).map((issue) => issue.path)).toEqual([
      ["maxImageBytes"]
    ])
  })

  it("a pair is dropped when either id is missing or unknown", () => {
    const nameOf = new Map([["ti_1", "a.png"]])
    expect(pairsByName([{ sourceId: "ti_1" }, { sourceId: "ti_x", targetId: "ti_1" }], nameOf)).toEqual({
      pairs: [],
      dropped: 2
    })
    expect(pairsByName([{ sourceId: "ti_1", targetId: "ti_1" }], nameOf)).toEqual({
      pairs: [{ source: "a.png", target: "a.png" }],
      dropped: 0
    })
  })

  it("an entry is kept only for the file the listing puts that image in", () => {
    const previous = { images: { "b.png": { sha256: "2", trainingImageId: "ti_2" } } }
    // The image of b.png listed, but under another file.
    expect(knownFiles({ listed: [{ id: "ti_2" }], files: ["b~ti_2.png"], previous }).size).toBe(0)
    expect([...knownFiles({ listed: [{ id: "ti_1" }, { id: "ti_2" }], files: ["a.png", "b.png"], previous })])
      .toEqual([["b.png", { sha256: "2", trainingImageId: "ti_2" }]])
  })
})

describe("portableFileName: the other rules", () => {
  it("a hidden name, a dot name and the empty name get _ in front; trailing dots and spaces each become _", () => {
    expect(portableFileName(".hidden")).toBe("_.hidden")
    expect(portableFileName("..")).toBe("___")
    expect(portableFileName(".")).toBe("__")
    expect(portableFileName("")).toBe("_")
    expect(portableFileName("trailing. ")).toBe("trailing__")
    expect(portableFileName("a. b")).toBe("a. b")
    expect(isPortableFileName("a. b")).toBe(true)
    expect(isPortableFileName("a.")).toBe(false)
  })

  it("the pull's own files are hidden and within the limit", () => {
    expect([PAIRS_FILE, STATE_FILE]).toEqual([".scenario-pairs.json", ".scenario-state.json"])
    expect(MAX_FILE_NAME_BYTES).toBe(255)
  })
})

describe("a pull's messages", () => {
  it("a URL is shown without its query and fragment; text that is no URL as such", () => {
    expect(shownUrl("https://cdn.example:8443/a/b.png?X-Amz-Signature=secret#frag")).toBe(
      "https://cdn.example:8443/a/b.png"
    )
    expect(shownUrl("not a url")).toBe("(not a URL)")
  })

  it("a file in the way says why", () => {
    expect(fileExistsMessage({ path: "f/a.png", name: "a.png", reason: "not-a-file" })).toBe(
      "f/a.png is in the way of a.png: not a file"
    )
    expect(fileExistsMessage({ path: "f/a.png", name: "a.png", reason: "changed" })).toBe(
      "f/a.png exists and was changed since it was pulled: left as it is (force to overwrite)"
    )
    expect(fileExistsMessage({ path: "f/a.png", name: "a.png", reason: "differs" })).toBe(
      "f/a.png exists and holds other bytes: left as it is (force to overwrite)"
    )
  })
})

describe("the rules the properties cover, told once by example", () => {
  it("a space inside a device-like stem makes it no device name", () => {
    expect(portableFileName("C ON.png")).toBe("C ON.png")
    expect(portableFileName("n ul")).toBe("n ul")
  })

  it("a portable name keeps its file before any rename takes it; a renamed image gets its id", () => {
    expect(fileNames([
      { id: "i1", name: "a?.png" },
      { id: "i2", name: "a_.png" },
      { id: "i3", name: "A_.PNG" },
      { id: "i4", name: "a_.png" }
    ])).toEqual(["a_~i1.png", "a_.png", "A_~i3.PNG", "a_~i4.png"])
    expect(fileNames([{ id: "i1", name: "x?" }])).toEqual(["x_"])
  })

  it("names that differ by more than case are different files, even where upper case would merge them", () => {
    expect(fileNames([{ id: "1", name: "ß.png" }, { id: "2", name: "ss.png" }])).toEqual(["ß.png", "ss.png"])
    expect(fileNames([{ id: "1", name: "ı.png" }, { id: "2", name: "i.png" }])).toEqual(["ı.png", "i.png"])
  })

  it("a long name taken twice: the second is cut to make room for its id, its extension kept", () => {
    const name = `${"a".repeat(300)}.png`
    const files = fileNames([{ id: "1", name }, { id: "i9", name }])
    expect(files).toEqual([`${"a".repeat(251)}.png`, `${"a".repeat(248)}~i9.png`])
  })

  it("a failed connection, a 429 and a 5xx are retried", () => {
    expect(downloadMayRetry({ reason: "transport" })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 429 })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 503 })).toBe(true)
    expect(downloadMayRetry({ reason: "status" })).toBe(false)
  })

  it("a status is told with its code", () => {
    const error = { name: "a.png", trainingImageId: "ti_1", url: "https://cdn.example/a", maxBytes: 10 }
    expect(downloadMessage({ ...error, reason: "status", status: 404 })).toBe(
      "a.png (ti_1) could not be downloaded from https://cdn.example/a: the download host answered 404"
    )
  })

  it("the least concurrency and size cap are 1", () => {
    expect(pullOptionIssues({})).toEqual([])
    expect(pullOptionIssues({ concurrency: 1, maxImageBytes: 1 })).toEqual([])
  })

  it("a pair keeps its instruction, and goes without one when it has none", () => {
    const nameOf = new Map([["ti_1", "a.png"], ["ti_2", "b.png"]])
    expect(pairsByName([
      { sourceId: "ti_1", targetId: "ti_2", instruction: "make it b" },
      { sourceId: "ti_2", targetId: "ti_1" }
    ], nameOf)).toStrictEqual({
      pairs: [{ source: "a.png", target: "b.png", instruction: "make it b" }, { source: "b.png", target: "a.png" }],
      dropped: 0
    })
  })

  it("an entry whose file now holds another image is not kept; no previous state keeps nothing", () => {
    const previous = {
      images: {
        "a.png": { sha256: "1", trainingImageId: "ti_1" },
        "b.png": { sha256: "2", trainingImageId: "ti_old" }
      }
    }
    const listed = [{ id: "ti_1" }, { id: "ti_2" }]
    expect([...knownFiles({ listed, files: ["a.png", "b.png"], previous })]).toEqual([
      ["a.png", { sha256: "1", trainingImageId: "ti_1" }]
    ])
    expect(knownFiles({ listed, files: ["a.png", "b.png"], previous: undefined }).size).toBe(0)
  })
})
