// Placeholder translation unit for a pipeline stage that has no sources yet.
namespace waybill { [[maybe_unused]] static const int kEmptyStage = 0; }
