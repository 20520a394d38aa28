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
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const utf8 = (text: string) => new TextEncoder().encode(text).length

// Names as a hostile server might send them: any code unit, separators, dots and reserved stems favoured.
const hostileName = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(".", "/", "\\", " ", "\u0000", "a", "C", "O", "N", ":", "é", "\ud800"),
    maxLength: 12
  }),
  fc.constantFrom("CON", "con.png", "NUL.tar.gz", "COM1", "lpt9.jpg", "..", ".", "", "../../etc/passwd", "/abs.png"),
  fc.string({ unit: "grapheme", minLength: 200, maxLength: 300 })
)

const isPortable = (name: string) =>
  name !== "" &&
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  !/[\u0000-\u001f\u007f<>:"/\\|?*]/.test(name) &&
  !name.startsWith(".") &&
  !/[. ]$/.test(name) &&
  !/^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\.|$)/i.test(name) &&
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name) &&
  utf8(name) <= MAX_FILE_NAME_BYTES

describe("portableFileName", () => {
  it("keeps an ordinary name as it is", () => {
    for (const name of ["photo.png", "a b.jpg", "日本 😀.webp", "x~y.gif", "CONSOLE.png", "a.b.c"]) {
      expect(portableFileName(name)).toBe(name)
      expect(isPortableFileName(name)).toBe(true)
    }
  })

  it("renames by the documented rules", () => {
    expect(portableFileName("../../etc/passwd")).toBe("_.._.._etc_passwd")
    expect(portableFileName("/abs.png")).toBe("_abs.png")
    expect(portableFileName("a\\b.png")).toBe("a_b.png")
    expect(portableFileName("a\u0000b\u001b.png")).toBe("a_b_.png")
    expect(portableFileName("what?.png")).toBe("what_.png")
    expect(portableFileName(".hidden")).toBe("_.hidden")
    expect(portableFileName("..")).toBe("___")
    expect(portableFileName(".")).toBe("__")
    expect(portableFileName("trailing. ")).toBe("trailing__")
    expect(portableFileName("CON")).toBe("CON_")
    expect(portableFileName("con.png")).toBe("con_.png")
    expect(portableFileName("COM1.tar.gz")).toBe("COM1_.tar.gz")
    expect(portableFileName("nul ")).toBe("nul _")
    expect(portableFileName("")).toBe("_")
    expect(portableFileName("a\ud800b.png")).toBe("a_b.png")
    const long = `${"é".repeat(200)}.png`
    expect(utf8(portableFileName(long))).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES)
    expect(portableFileName(long).endsWith(".png")).toBe(true)
  })

  it("property: the result is portable, a single segment, and stable (renaming twice changes nothing)", () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const safe = portableFileName(name)
        expect(isPortable(safe)).toBe(true)
        expect(portableFileName(safe)).toBe(safe)
        expect(isPortableFileName(name)).toBe(safe === name)
      }),
      { numRuns: 2000 }
    )
  })

  it("property: a name that is already portable is kept", () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        if (isPortable(name)) expect(portableFileName(name)).toBe(name)
      }),
      { numRuns: 2000 }
    )
  })

  it("the pull's own files are hidden: no image is ever written under their names", () => {
    for (const file of [PAIRS_FILE, STATE_FILE]) {
      expect(file.startsWith(".")).toBe(true)
      expect(portableFileName(file)).not.toBe(file)
    }
  })
})

const image = fc.record({ id: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), name: hostileName })
const images = fc.uniqueArray(image, { selector: (entry) => entry.id, maxLength: 30 })

describe("fileNames", () => {
  it("an image whose file is taken gets its id; a portable name is kept before any rename takes it", () => {
    expect(fileNames([
      { id: "i1", name: "a?.png" },
      { id: "i2", name: "a_.png" },
      { id: "i3", name: "A_.PNG" },
      { id: "i4", name: "a_.png" }
    ])).toEqual(["a_~i1.png", "a_.png", "A_~i3.PNG", "a_~i4.png"])
  })

  it("property: one file per image, none equal without case or composition, each portable", () => {
    fc.assert(
      fc.property(images, (list) => {
        const files = fileNames(list)
        expect(files).toHaveLength(list.length)
        const keys = new Set(files.map((file) => file.normalize("NFC").toLowerCase()))
        expect(keys.size).toBe(files.length)
        for (const file of files) expect(isPortable(file)).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it("property: stable: the same listing gives the same files, and a portable unique name keeps its file", () => {
    fc.assert(
      fc.property(images, (list) => {
        const files = fileNames(list)
        expect(fileNames(list.map((entry) => ({ ...entry })))).toEqual(files)
        list.forEach((entry, index) => {
          const unique = list.filter((other) =>
            portableFileName(other.name).normalize("NFC").toLowerCase() ===
              portableFileName(entry.name).normalize("NFC").toLowerCase()
          ).length === 1
          if (isPortableFileName(entry.name) && unique) expect(files[index]).toBe(entry.name)
        })
      }),
      { numRuns: 1000 }
    )
  })
})

describe("a pull's download rules", () => {
  it("shows a URL without its query and fragment, and text that is no URL as such", () => {
    expect(shownUrl("https://cdn.example/a/b.png?X-Amz-Signature=secret#frag")).toBe("https://cdn.example/a/b.png")
    expect(shownUrl("not a url")).toBe("(not a URL)")
  })

  it("retries a failed connection, a 429 and a 5xx; nothing else", () => {
    expect(downloadMayRetry({ reason: "transport" })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 429 })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 503 })).toBe(true)
    expect(downloadMayRetry({ reason: "status", status: 404 })).toBe(false)
    expect(downloadMayRetry({ reason: "status" })).toBe(false)
    for (const reason of ["too-large", "timeout", "invalid-url"] as const) {
      expect(downloadMayRetry({ reason })).toBe(false)
    }
  })

  it("tells why a download failed", () => {
    const error = { name: "a.png", trainingImageId: "ti_1", url: "https://cdn.example/a", maxBytes: 10 }
    expect(downloadMessage({ ...error, reason: "status", status: 404 })).toBe(
      "a.png (ti_1) could not be downloaded from https://cdn.example/a: the download host answered 404"
    )
    expect(downloadMessage({ ...error, reason: "too-large" })).toContain("over 10 bytes (maxImageBytes)")
    expect(downloadMessage({ ...error, reason: "transport" })).toContain("the connection to the download host failed")
    expect(downloadMessage({ ...error, reason: "timeout" })).toContain("did not answer in time")
    expect(downloadMessage({ ...error, reason: "invalid-url" })).toContain("not an http or https URL")
  })

  it("tells why a file is in the way", () => {
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

  it("refuses a concurrency or a size cap that is not a whole number above 0", () => {
    expect(pullOptionIssues({})).toEqual([])
    expect(pullOptionIssues({ concurrency: 1, maxImageBytes: 1 })).toEqual([])
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(pullOptionIssues({ concurrency: bad, maxImageBytes: bad }).map((issue) => issue.path)).toEqual([
        ["concurrency"],
        ["maxImageBytes"]
      ])
    }
  })

  it("names pairs by the names of their ids, and counts those it cannot name", () => {
    const nameOf = new Map([["ti_1", "a.png"], ["ti_2", "b.png"]])
    expect(
      pairsByName([
        { sourceId: "ti_1", targetId: "ti_2", instruction: "make it b" },
        { sourceId: "ti_2", targetId: "ti_1" },
        { sourceId: "ti_1", targetId: "ti_gone" },
        { targetId: "ti_1" }
      ], nameOf)
    ).toEqual({
      pairs: [{ source: "a.png", target: "b.png", instruction: "make it b" }, { source: "b.png", target: "a.png" }],
      dropped: 2
    })
  })

  it("keeps the previous state's entries whose file still holds the image the listing puts there", () => {
    const previous = {
      images: {
        "a.png": { sha256: "1", trainingImageId: "ti_1" },
        "b.png": { sha256: "2", trainingImageId: "ti_old" },
        "gone.png": { sha256: "3", trainingImageId: "ti_3" }
      }
    }
    const listed = [{ id: "ti_1" }, { id: "ti_2" }]
    expect([...knownFiles({ listed, files: ["a.png", "b.png"], previous })]).toEqual([
      ["a.png", { sha256: "1", trainingImageId: "ti_1" }]
    ])
    expect(knownFiles({ listed, files: ["a.png", "b.png"], previous: undefined }).size).toBe(0)
  })
})
