// HTTPS and WSS with a self-signed certificate made by the openssl CLI.
#include <catch2/catch.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include <sstream>

#include "gzip_codec.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "sync_rig.hpp"

namespace {

struct TlsFiles {
    till::test::TempDir dir{"hq-sync-tls"};
    std::string cert = dir.file("cert.pem");
    std::string key = dir.file("key.pem");
    TlsFiles() {
        std::string out;
        int rc = till::test::run_command({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                          "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"},
                                         out);
        INFO(out);
        REQUIRE(rc == 0);
    }
};

}  // namespace

TEST_CASE("over TLS a store pushes a batch and hears revisions") {
    TlsFiles tls;
    till::hq_sync::Settings settings;
    settings.tls_cert_file = tls.cert;
    settings.tls_key_file = tls.key;
    till::test::SyncRig rig(settings);
    const auto token = rig.hub.issue_token("store-tls");

    Poco::Net::Context::Ptr ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(rig.port), ctx);
    const std::string body = till::hq_sync::gzip(till::test::make_batch("store-tls", 1, 4).to_json());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/sync/v1/batches",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.set("Content-Encoding", "gzip");
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::ostringstream answer;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), answer);
    INFO(answer.str());
    CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
    CHECK(rig.hub.events_held() == 4);

    till::test::NotifyClient store(rig.port, token, false, /*tls=*/true);
    CHECK(store.next_revision(5000) == 0);
    till::sdk::Value p = till::sdk::Value::map();
    p.set("id", "p1");
    rig.hub.add_change("product", "p1", p);
    CHECK(store.next_revision(5000) == 1);
    CHECK(store.ping("tls-ping", 5000) == "tls-ping");
}

TEST_CASE("plain HTTP to a TLS listener does not get through") {
    TlsFiles tls;
    till::hq_sync::Settings settings;
    settings.tls_cert_file = tls.cert;
    settings.tls_key_file = tls.key;
    till::test::SyncRig rig(settings);
    bool refused = false;
    try {
        refused = rig.get("/sync/v1/changes").status != 401;
    } catch (const std::exception&) {
        refused = true;
    }
    CHECK(refused);
}

TEST_CASE("an unusable certificate is a clear start error") {
    till::test::TempDir dir("hq-sync-badcert");
    till::hq_sync::Settings settings;
    settings.host = "127.0.0.1";
    settings.port = 0;
    settings.tls_cert_file = dir.write("cert.pem", "not a certificate");
    settings.tls_key_file = dir.write("key.pem", "not a key");
    till::test::MemoryHub hub;
    till::hq_sync::SyncServer server(settings, hub, nullptr);
    auto st = server.start();
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "invalid_config");
    CHECK(st.message().find("tls_cert_file") != std::string::npos);
}
