"""The SDF profiles, rendered after every successful publication: downstream of the
published asset, so the nightly job renders them from what it has just published and
never when publication was refused."""

import dagster as dg

from footprint.paths import published_dir

PUBLISHED = dg.AssetKey(["published", "footprint"])


def profiles_asset() -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["published", "profiles"]),
        deps=[PUBLISHED],
        group_name="publication",
        kinds={"html"},
        description="One self-contained HTML profile per SDF and the borough overview, "
        "rendered from the published marts into the published version's profiles/ folder.",
    )
    def profiles(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from footprint.profiles.render import DEFAULT_OUT, render_profiles
        from footprint.publish.publisher import DATABASE_NAME, current_build_id

        folder = published_dir()
        written = render_profiles(folder / DATABASE_NAME, folder / DEFAULT_OUT)
        context.log.info(f"rendered {len(written)} pages into {folder / DEFAULT_OUT}")
        return dg.MaterializeResult(
            metadata={
                "build id": current_build_id(folder),
                "pages": len(written),
                "overview": dg.MetadataValue.path(str(written[-1])),
            }
        )

    return profiles
