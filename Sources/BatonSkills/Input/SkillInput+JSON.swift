import BatonCore

extension SkillInput {
    /// The document as compact JSON, keys in the header's order with `"schema": 1` first,
    /// absent `text`, `quick_reply_payload`, `postback` and `url` left out, and
    /// `seconds_since_last_user_message` written as `null` when absent.
    /// - Returns: UTF-8 JSON text.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    /// ``jsonString()`` as its UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        jsonBytes(after: [])
    }

    /// ``jsonBytes()`` appended to `prefix`, in the same buffer.
    func jsonBytes(after prefix: [UInt8]) -> [UInt8] {
        var out = prefix.isEmpty ? JSONWriter(capacity: 256 + jsonTextLength) : JSONWriter(after: prefix)
        out.object { out in
            out.key("schema")
            out.number(Int64(SkillInput.schema))
            out.key("message")
            message.write(to: &out)
            out.key("conversation")
            conversation.write(to: &out)
        }
        return out.bytes
    }

    /// The bytes of the texts the document carries, before escaping: what its size depends on.
    var jsonTextLength: Int {
        conversation.recentTurns.reduce(message.text?.utf8.count ?? 0) { $0 + $1.text.utf8.count }
    }

    /// The values `input_field` serves, by the index of their key in ``PackedSkillInput/keys``
    /// (nil: the input has no such field).
    var fieldValues: [String?] {
        [
            message.mid, message.text, message.quickReplyPayload, message.postback?.title, message.postback?.payload,
            conversation.pageID, conversation.psid,
        ]
    }
}

extension SkillInput.Message {
    fileprivate func write(to out: inout JSONWriter) {
        out.object { out in
            out.key("mid")
            out.string(mid)
            out.key("timestamp")
            out.number(timestamp)
            if let text {
                out.key("text")
                out.string(text)
            }
            if let quickReplyPayload {
                out.key("quick_reply_payload")
                out.string(quickReplyPayload)
            }
            if let postback {
                out.key("postback")
                out.object { out in
                    out.key("title")
                    out.string(postback.title)
                    out.key("payload")
                    out.string(postback.payload)
                }
            }
            out.key("attachments")
            out.array(attachments) { out, attachment in
                out.object { out in
                    out.key("type")
                    out.string(attachment.type)
                    if let url = attachment.url {
                        out.key("url")
                        out.string(url)
                    }
                }
            }
        }
    }
}

extension SkillInput.Conversation {
    fileprivate func write(to out: inout JSONWriter) {
        out.object { out in
            out.key("page_id")
            out.string(pageID)
            out.key("psid")
            out.string(psid)
            out.key("recent_turns")
            out.array(recentTurns) { out, turn in
                out.object { out in
                    out.key("from")
                    out.string(turn.from.rawValue)
                    out.key("text")
                    out.string(turn.text)
                    out.key("timestamp")
                    out.number(turn.timestamp)
                }
            }
            out.key("consecutive_fallbacks")
            out.number(Int64(consecutiveFallbacks))
            out.key("seconds_since_last_user_message")
            if let seconds = secondsSinceLastUserMessage, seconds.isFinite {
                out.raw("\(seconds)")
            } else {
                out.raw("null")
            }
        }
    }
}
