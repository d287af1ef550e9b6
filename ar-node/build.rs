//! Build script: lets napi-build emit the linker settings a Node-API addon needs.

fn main() {
    napi_build::setup();
}
