import BatonCore
import Foundation

extension GraphResponses {
    private struct UploadBody: Decodable {
        var attachment_id: AttachmentID?
    }

    /// `{"attachment_id":"…"}` (a string, or a number read as its digits).
    static func attachmentID(_ body: [UInt8], status: Int) throws(GraphError) -> AttachmentID {
        let decoded: UploadBody
        do {
            decoded = try JSONDecoder().decode(UploadBody.self, from: Data(body))
        } catch {
            throw unexpected("the body is not the expected JSON object", status: status)
        }
        guard let id = decoded.attachment_id, !id.rawValue.isEmpty else {
            throw unexpected("no attachment_id", status: status)
        }
        return id
    }
}
