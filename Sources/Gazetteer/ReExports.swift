// The feature core's types (CalendarDate, GeoPosition, ...) come with the model for its users.
@_exported import FeatureCore
