// Render + encode of a 30-line receipt: the sample sale with 22 item rows
// (accents, euro signs and typographic quotes that CP858 must transliterate
// or map), through printer_escpos's encode_receipt — transliteration,
// validation, layout (wrapping, columns) and ESC/POS bytes, plus the
// plain-text rendering the virtual printer writes (measured with and
// without it). Prints p50/p99/mean in µs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "escpos_encoder.hpp"
#include "sample_receipts.hpp"

namespace {

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size()));
    return v[std::min(rank, v.size() - 1)];
}

template <class F>
std::vector<double> measure(int iterations, F&& f) {
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(iterations));
    for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        f();
        us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    return us;
}

void report(const char* what, const std::vector<double>& us) {
    double sum = 0;
    for (double u : us) sum += u;
    std::printf("%-44s p50 %7.1f us   p99 %7.1f us   mean %7.1f us   (n=%zu)\n", what, percentile(us, 50),
                percentile(us, 99), sum / static_cast<double>(us.size()), us.size());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace till::printer_escpos;
    const int iterations = argc > 1 ? std::max(100, std::atoi(argv[1])) : 20000;
    const till::sdk::Receipt receipt = till::test::sale_with_items(22);
    const EncoderOptions options{42, CodePage::cp858, 576, false};  // what a network printer gets
    EncoderOptions with_text = options;                             // what the file printer writes
    with_text.with_plain_text = true;

    auto first = encode_receipt(receipt, with_text);
    if (!first) {
        std::fprintf(stderr, "encode failed: %s\n", first.error().message.c_str());
        return 1;
    }
    const auto rows = std::count(first->plain_text.begin(), first->plain_text.end(), '\n');
    std::printf("receipt: %zu blocks, %ld printed rows, %zu ESC/POS bytes, 42 columns, CP858\n", receipt.blocks.size(),
                static_cast<long>(rows), first->bytes.size());

    std::size_t sink = 0;
    measure(iterations / 10, [&] { sink += encode_receipt(receipt, options)->bytes.size(); });  // warm-up
    report("render + encode to ESC/POS",
           measure(iterations, [&] { sink += encode_receipt(receipt, options)->bytes.size(); }));
    report("render + encode + plain text (file printer)",
           measure(iterations, [&] { sink += encode_receipt(receipt, with_text)->bytes.size(); }));
    report("plain text only (sdk::render_plain_text)",
           measure(iterations, [&] { sink += till::sdk::render_plain_text(receipt, 42).size(); }));
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
