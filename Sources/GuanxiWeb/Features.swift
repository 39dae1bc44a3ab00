/// Every capability of the application, in the order it registers. Adding one: a folder per module
/// it touches, its `Feature` value declared in its web folder, and one line here.
package enum Features {
    package static let all: [Feature] = [
        .platform,
        .access,
        .customers,
        .sales,
        .orders,
        .service,
        .integration,
    ]
}
