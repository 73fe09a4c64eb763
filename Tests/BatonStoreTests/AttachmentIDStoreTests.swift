import BatonCore
@testable import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// Attachment ids of media sent by URL, kept per Page in the SQLite file.
@Suite("Kept attachment ids")
struct AttachmentIDStoreTests {
    static let page: PageID = "109876543210987"
    static let otherPage: PageID = "110223344556677"
    static let video = ReplyMedia(kind: .video, url: "https://cdn.example.com/welcome.mp4")

    @Test func savedIdsSurviveReopeningAndAreKeptPerPageURLAndType() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("baton.sqlite")
        do {
            let store = try await SQLiteStore(path: path)
            #expect(try await store.attachmentID(for: Self.video, page: Self.page) == nil)
            try await store.saveAttachmentID("1857777774821032", for: Self.video, page: Self.page, uploadedAt: 1_000)
            await store.close()
        }
        let store = try await SQLiteStore(path: path)
        #expect(
            try await store.attachmentID(for: Self.video, page: Self.page)
                == StoredAttachmentID(id: "1857777774821032", uploadedAt: 1_000))
        // Another Page, another type or another URL has no id of its own.
        #expect(try await store.attachmentID(for: Self.video, page: Self.otherPage) == nil)
        #expect(try await store.attachmentID(for: ReplyMedia(kind: .file, url: Self.video.url), page: Self.page) == nil)
        #expect(try await store.attachmentID(for: ReplyMedia(kind: .video, url: Self.video.url + "?v=2"), page: Self.page) == nil)
        await store.close()
    }

    @Test func aNewUploadReplacesTheIdAndForgettingTakesOnlyTheGivenId() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("baton.sqlite")
        do {
            let store = try await SQLiteStore(path: path)
            try await store.saveAttachmentID("111", for: Self.video, page: Self.page, uploadedAt: 1)
            try await store.saveAttachmentID("222", for: Self.video, page: Self.page, uploadedAt: 2)
            // A stale id is not forgotten in place of the one saved after it.
            try await store.forgetAttachmentID("111", for: Self.video, page: Self.page)
            await store.close()
        }
        let store = try await SQLiteStore(path: path)
        #expect(try await store.attachmentID(for: Self.video, page: Self.page) == StoredAttachmentID(id: "222", uploadedAt: 2))
        try await store.forgetAttachmentID("222", for: Self.video, page: Self.page)
        await store.close()
        let reopened = try await SQLiteStore(path: path)
        #expect(try await reopened.attachmentID(for: Self.video, page: Self.page) == nil)
        await reopened.close()
    }

    /// A file written by the Baton before attachment reuse (schema 6) opens, keeps its rows,
    /// and gains the table.
    @Test func aFileOfThePreviousSchemaIsMigrated() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("baton.sqlite")
        // The schema just before the migration that adds the table.
        let previous = try #require(SQLiteSchema.migrations.firstIndex { $0.contains("CREATE TABLE attachment_ids") })
        #expect(previous >= 6)
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY)")
            for (index, sql) in SQLiteSchema.migrations.prefix(previous).enumerated() {
                try db.execute(sql)
                try db.query("INSERT INTO schema_migrations(version) VALUES (?)", [.integer(Int64(index + 1))])
            }
            try db.query(
                "INSERT INTO threads(page_id, user_id, state_json, updated_at) VALUES (?, ?, ?, ?)",
                [.text(Self.page.rawValue), .text("5012345678901234"), .text(#"{"key":{"page":"x","user":"y"}}"#), .integer(7)])
            #expect(throws: StoreError.self) { try db.query("SELECT 1 FROM attachment_ids") }
            db.close()
        }
        let store = try await SQLiteStore(path: path)
        try await store.saveAttachmentID("333", for: Self.video, page: Self.page, uploadedAt: 3)
        #expect(try await store.attachmentID(for: Self.video, page: Self.page) == StoredAttachmentID(id: "333", uploadedAt: 3))
        await store.close()

        let db = try SQLiteConnection(path: path)
        #expect(try db.query("SELECT MAX(version) FROM schema_migrations").first?.int(0) == Int64(SQLiteSchema.migrations.count))
        #expect(try db.query("SELECT COUNT(*) FROM threads").first?.int(0) == 1)
        db.close()
    }
}
